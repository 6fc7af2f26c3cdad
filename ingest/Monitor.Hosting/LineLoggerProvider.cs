using Microsoft.Extensions.Logging;

namespace Monitor.Hosting;

/// <summary>
/// The command line's logger: each entry as the one plain line an operator reads (the message, and for a failure the
/// exception's message, never a stack trace), to <c>write</c> (stderr for the CLI, grey lines in the demo).
/// Entries of the monitor's own categories from Information up; Akka.NET's, ASP.NET Core's and librdkafka's
/// only from Warning up. A service that wants JSON or syslog adds its provider to the host instead.
/// </summary>
public sealed class LineLoggerProvider(Action<string> write) : ILoggerProvider
{
    private readonly Lock _lock = new();

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName.StartsWith("Monitor", StringComparison.Ordinal) ? LogLevel.Information : LogLevel.Warning);

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_lock) write(line);
    }

    private sealed class LineLogger(LineLoggerProvider owner, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            // Akka.NET's entries come as its log events: their message alone, without its own bracketed prefix.
            var message = state is Akka.Event.LogEvent akka ? akka.Message?.ToString() ?? "" : formatter(state, exception);
            if (exception is not null && !message.Contains(exception.Message, StringComparison.Ordinal)) message += $": {exception.GetType().Name}: {exception.Message}";
            owner.Write(message);
        }
    }
}
