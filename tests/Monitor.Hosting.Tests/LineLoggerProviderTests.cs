using Microsoft.Extensions.Logging;
using Monitor.Testing;
using Xunit;

namespace Monitor.Hosting.Tests;

public sealed class LineLoggerProviderTests
{
    private readonly List<string> _lines = [];
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    private ILogger Logger(string category) => new LineLoggerProvider(_lines.Add, _clock).CreateLogger(category);

    [Fact]
    public void The_monitors_own_lines_are_printed_as_they_are_each_one()
    {
        var log = Logger("Monitor.Ingest");
        log.LogInformation("{Line}", "caught up with credit.query-log: 12 events read, every partition at its end");
        log.LogInformation("{Line}", "caught up with credit.query-log: 20 events read, every partition at its end");
        log.LogDebug("{Line}", "not for the operator");
        Assert.Equal(["caught up with credit.query-log: 12 events read, every partition at its end", "caught up with credit.query-log: 20 events read, every partition at its end"], _lines);
    }

    [Fact]
    public void A_library_error_is_one_line_with_its_innermost_cause_and_no_stack_trace()
    {
        var cause = new InvalidOperationException("SQLite Error 13: 'database or disk is full'.\n   at Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(...)");
        Logger("Akka.Actor.ActorSystem").LogError(new AggregateException(cause), "{Message}",
            "[ERROR][12/01/2026 03:02:46.862Z][Thread 0009][akka://monitor/system/akka.persistence.snapshot-store.sql] DeleteAsync operation after SaveSnapshot failure failed.\nCause: System.AggregateException: ...");
        Assert.Equal(["akka.net: DeleteAsync operation after SaveSnapshot failure failed.: SQLite Error 13: 'database or disk is full'."], _lines);
    }

    [Fact]
    public void A_library_error_for_every_entity_is_one_line_then_a_summary_per_half_minute()
    {
        var log = Logger("Akka.Actor.ActorSystem");
        for (var i = 0; i < 500; i++) log.LogError("{Message}", $"DeleteAsync operation after SaveSnapshot failure failed for user/U{i}");
        Assert.Single(_lines);
        _clock.Now += TimeSpan.FromSeconds(31);
        log.LogError("{Message}", "DeleteAsync operation after SaveSnapshot failure failed for user/U500");
        Assert.Equal(2, _lines.Count);
        Assert.Contains("500 errors in the last 31 s", _lines[1]);
    }

    [Fact]
    public void Library_information_is_not_printed()
    {
        Logger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("Request starting HTTP/1.1 GET /ready");
        Assert.Empty(_lines);
    }
}
