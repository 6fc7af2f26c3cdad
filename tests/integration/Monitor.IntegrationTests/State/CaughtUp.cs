using System.Globalization;
using System.Text.RegularExpressions;

namespace Monitor.IntegrationTests.State;

/// <summary>How far a <c>monitor run</c> has read, from the line it prints each time it reaches the end of the topic.</summary>
internal static partial class CaughtUp
{
    /// <summary>The most events a process said it had read when it caught up with the topic (0 before).</summary>
    public static long ReadUpTo(CliProcess run) =>
        run.Stderr.Select(l => Line().Match(l)).Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    [GeneratedRegex(@"caught up with [^:]+: (\d+) events read")]
    private static partial Regex Line();
}
