using System.Text.RegularExpressions;
using Confluent.Kafka;

namespace Monitor.Ingest;

/// <summary>
/// librdkafka's error and log texts in the operator's words: "127.0.0.1:1/bootstrap: Connect to
/// ipv4#127.0.0.1:1 failed: Connection refused (after 0ms in state CONNECT)" becomes "127.0.0.1:1 unreachable
/// (Connection refused), retrying" (librdkafka reconnects by itself); thread prefixes go. Which error codes mean the brokers cannot be reached.
/// </summary>
public static partial class KafkaErrorText
{
    /// <summary>One line for an error or log message of librdkafka.</summary>
    public static string Short(string message)
    {
        var m = ThreadPrefix().Replace(message.Trim(), "");
        m = ClientPrefix().Replace(m, "");
        if (ConnectFailed().Match(m) is { Success: true } c) return $"{c.Groups["broker"].Value} unreachable ({c.Groups["why"].Value.Trim()}), retrying";
        if (BrokersDown().Match(m) is { Success: true } d) return $"all brokers down ({d.Value}), retrying";
        return m;
    }

    /// <summary>The error says the brokers cannot be reached (as opposed to, say, a topic not there yet).</summary>
    public static bool IsUnreachable(Error e) => e.Code is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve
        or ErrorCode.Local_Authentication or ErrorCode.Local_TimedOut or ErrorCode.Local_Ssl;

    [GeneratedRegex(@"^\[thrd:[^\]]*\]:\s*")]
    private static partial Regex ThreadPrefix();

    [GeneratedRegex(@"^rdkafka#\S+:\s*")]
    private static partial Regex ClientPrefix();

    [GeneratedRegex(@"^(?<broker>[^\s/]+)(/\S+)?: Connect to \S+ failed: (?<why>.+?)(\s*\(after [^)]*\))?$")]
    private static partial Regex ConnectFailed();

    [GeneratedRegex(@"\d+/\d+ brokers are down")]
    private static partial Regex BrokersDown();
}
