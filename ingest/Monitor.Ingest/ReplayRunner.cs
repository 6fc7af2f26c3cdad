using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Messages;

namespace Monitor.Ingest;

/// <summary>
/// Runs a JSON-lines file of events through the same detection graph as the Kafka path, as fast as the
/// machine allows, writing alert revisions, commands and dead letters as JSON lines.
/// </summary>
public sealed class ReplayRunner(DetectionGraph graph, int batchSize = 4096, int maxMessageBytes = EventJson.DefaultMaxBytes)
{
    public PipelineStats Stats { get; } = new();

    /// <summary>Where outputs are recorded before they are written (the alert store); null writes every command.</summary>
    public IOutputLedger? Ledger { get; init; }

    public event Action<BatchReport>? BatchPublished;

    public async Task RunAsync(TextReader input, TextWriter alerts, TextWriter? commands, TextWriter? deadLetters, CancellationToken ct = default)
    {
        var inFlight = new Queue<InFlight>();
        var events = new List<IngestedEvent>(batchSize);
        var raw = new List<(long Line, string Text)>(batchSize);
        var dead = new List<DeadLetter>();
        var bad = 0;
        DateTimeOffset? latest = null;
        long lineNo = 0;
        string? line;
        while ((line = await input.ReadLineAsync(ct)) is not null)
        {
            lineNo++;
            if (line.Length == 0) continue;
            if (EventJson.TryParse(line, out var evt, out var reason, maxMessageBytes))
            {
                events.Add(new IngestedEvent(evt!, 0));
                raw.Add((lineNo, line));
                if (latest is null || evt!.OccurredAt > latest) latest = evt!.OccurredAt;
            }
            else
            {
                bad++;
                dead.Add(LineDeadLetter(reason!, lineNo, line));
            }
            if (events.Count + bad < batchSize) continue;
            inFlight.Enqueue(new InFlight(graph.ProcessAsync(events, ct), raw, bad, dead, latest, Accepted(events)));
            (events, raw, dead, bad, latest) = (new List<IngestedEvent>(batchSize), new List<(long Line, string Text)>(batchSize), [], 0, null);
            if (inFlight.Count >= 3) await Drain(inFlight.Dequeue(), alerts, commands, deadLetters);
        }
        inFlight.Enqueue(new InFlight(graph.ProcessAsync(events, ct), raw, bad, dead, latest, Accepted(events)));
        while (inFlight.Count > 0) await Drain(inFlight.Dequeue(), alerts, commands, deadLetters);
        await alerts.FlushAsync(ct);
        if (commands is not null) await commands.FlushAsync(ct);
        if (deadLetters is not null) await deadLetters.FlushAsync(ct);
    }

    private async Task Drain(InFlight item,
        TextWriter alerts, TextWriter? commands, TextWriter? deadLetters)
    {
        var result = await item.Task;
        var sent = Ledger is null ? result.Commands : await Ledger.RecordAsync(result, CancellationToken.None);
        foreach (var a in result.Alerts) await alerts.WriteLineAsync(OutputJson.Serialize(a));
        if (commands is not null) foreach (var c in sent) await commands.WriteLineAsync(OutputJson.Serialize(c));
        foreach (var r in result.Rejected)
        {
            var (line, text) = item.Raw[r.Index];
            item.Dead.Add(LineDeadLetter(r.Reason, line, text));
        }
        if (deadLetters is not null) foreach (var d in item.Dead) await deadLetters.WriteLineAsync(OutputJson.Serialize(d));
        if (Ledger is not null && commands is not null)
        {
            await commands.FlushAsync();
            await Ledger.SentAsync(sent, CancellationToken.None);
        }
        Stats.Record(item.Raw.Count + item.Bad, item.Dead.Count, result.Duplicates, result.Alerts.Count, sent.Count);
        BatchPublished?.Invoke(new BatchReport(result.Alerts, sent, item.Dead, item.Latest) { Events = item.Events });
    }

    private IReadOnlyList<QueryLogEvent> Accepted(List<IngestedEvent> events) => BatchPublished is null ? [] : [.. events.Select(e => e.Event)];

    private static DeadLetter LineDeadLetter(string reason, long line, string text) =>
        new() { Reason = reason, Source = "line", Position = line, Original = text };

    /// <summary>A batch handed to the graph, with what is needed to publish its outcome in order.</summary>
    private sealed record InFlight(Task<BatchProcessed> Task, List<(long Line, string Text)> Raw, int Bad, List<DeadLetter> Dead, DateTimeOffset? Latest, IReadOnlyList<QueryLogEvent> Events);
}
