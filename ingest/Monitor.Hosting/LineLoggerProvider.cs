using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Monitor.Ingest;

namespace Monitor.Hosting;

/// <summary>
/// The command line's logger: each entry as the one plain line an operator reads, to <c>write</c> (stderr for the
/// CLI, grey lines in the demo). The monitor's own categories log from Information up, each entry its line.
/// Libraries (Akka.NET and its persistence plugin, ASP.NET Core) log from Warning up, as one line with the innermost
/// cause and never a stack trace, and through an <see cref="ErrorDigest"/> per library: a store that refuses every
/// entity's snapshot is one line and a summary every 30 s, not a line per entity (the monitor says what failed in
/// its own words). A service that wants JSON or syslog adds its provider to the host instead.
/// </summary>
public sealed partial class LineLoggerProvider(Action<string> write, TimeProvider? clock = null) : ILoggerProvider
{
    private static readonly TimeSpan DigestPeriod = TimeSpan.FromSeconds(30);
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, ErrorDigest> _digests = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("Monitor", StringComparison.Ordinal)
            ? new LineLogger(LogLevel.Information, Write)
            : new LineLogger(LogLevel.Warning, line => Digest(categoryName).Report(line));

    public void Dispose()
    {
    }

    private ErrorDigest Digest(string category) =>
        _digests.GetOrAdd(category, c => new ErrorDigest(c.StartsWith("Akka", StringComparison.Ordinal) ? "akka.net" : c, DigestPeriod, clock ?? TimeProvider.System, Write));

    private void Write(string line)
    {
        lock (_lock) write(line);
    }

    /// <summary>
    /// One line: the message's first line without Akka.NET's bracketed prefix ("[ERROR][time][thread][source] "), and
    /// the innermost cause's message; never a stack trace.
    /// </summary>
    public static string Line(string message, Exception? exception)
    {
        message = AkkaPrefix().Replace(FirstLine(message), "");
        if (exception?.GetBaseException() is { } cause && !message.Contains(cause.Message, StringComparison.Ordinal)) message += $": {FirstLine(cause.Message)}";
        return message;
    }

    private static string FirstLine(string s) => s.IndexOfAny(['\r', '\n']) is var i and >= 0 ? s[..i] : s;

    [System.Text.RegularExpressions.GeneratedRegex(@"^(\[[^\]]*\]){3,4}\s*")]
    private static partial System.Text.RegularExpressions.Regex AkkaPrefix();

    private sealed class LineLogger(LogLevel minimum, Action<string> write) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            // Akka.NET's entries come as its log events: their message alone, without its own bracketed prefix.
            write(Line(state is Akka.Event.LogEvent akka ? akka.Message?.ToString() ?? "" : formatter(state, exception), exception));
        }
    }
}
