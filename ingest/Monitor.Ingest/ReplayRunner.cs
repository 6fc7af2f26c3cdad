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

    private int BatchSize => batchSize;

    /// <summary>Where outputs are recorded before they are written (the alert store); null writes every command.</summary>
    public IOutputLedger? Ledger { get; init; }

    public event Action<BatchReport>? BatchPublished;

    /// <summary>
    /// Begins a checkpoint of the detector state (<see cref="DetectionGraph.BeginCheckpointAsync"/>): completes once the
    /// state is taken, its inner task once it is committed. Called with nothing in flight, every
    /// <see cref="CheckpointEvents"/> events and once at the end, so the next replay into the same store continues;
    /// the replay goes on while a checkpoint is written, as the live path does, and ends only once the last is committed.
    /// </summary>
    public Func<CancellationToken, Task<Task>>? Checkpoint { get; init; }

    /// <summary>Events between checkpoints of a long replay.</summary>
    public int CheckpointEvents { get; init; } = 200_000;

    /// <summary>Replays a file as the CLI does: raw bytes per line, read by the same reader as Kafka messages.</summary>
    public Task RunAsync(Stream input, TextWriter alerts, TextWriter? commands, TextWriter? deadLetters, CancellationToken ct = default) =>
        RunLinesAsync(ByteLines(input, ct), alerts, commands, deadLetters, ct);

    /// <summary>Replays lines already held as text (tests, benchmarks); the same reader and verdicts as <see cref="RunAsync(Stream, TextWriter, TextWriter?, TextWriter?, CancellationToken)"/>.</summary>
    public Task RunAsync(TextReader input, TextWriter alerts, TextWriter? commands, TextWriter? deadLetters, CancellationToken ct = default) =>
        RunLinesAsync(TextLines(input, ct), alerts, commands, deadLetters, ct);

    /// <summary>
    /// Replays one file through several runners side by side (a backtest's baseline and candidate graphs): each line
    /// is read and parsed once and handed to every runner, which batches, processes and publishes it exactly as its
    /// own <see cref="RunAsync(Stream, TextWriter, TextWriter?, TextWriter?, CancellationToken)"/> would. A runner that
    /// fails stops the others; its error is the one thrown.
    /// </summary>
    public static async Task RunSideBySideAsync(Stream input, IReadOnlyList<ReplayRunner> runners, CancellationToken ct = default)
    {
        if (runners.Count == 0) throw new ArgumentException("no runner to replay into", nameof(runners));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channels = runners.Select(_ => System.Threading.Channels.Channel.CreateBounded<ReadLine>(
            new System.Threading.Channels.BoundedChannelOptions(2 * runners[0].BatchSize) { SingleWriter = true, SingleReader = true })).ToList();
        var runs = runners.Select((r, i) => r.RunLinesAsync(channels[i].Reader.ReadAllAsync(stop.Token), TextWriter.Null, null, null, stop.Token)).ToList();
        foreach (var run in runs) _ = run.ContinueWith(_ => stop.Cancel(), CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
        try
        {
            await foreach (var line in runners[0].ByteLines(input, stop.Token))
                foreach (var channel in channels) await channel.Writer.WriteAsync(line, stop.Token);
            foreach (var channel in channels) channel.Writer.Complete();
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // a runner failed: its own error is thrown below
        }
        catch (Exception e)
        {
            foreach (var channel in channels) channel.Writer.TryComplete(e);
            await Task.WhenAll(runs).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            throw;
        }
        await Task.WhenAll(runs);
    }

    private async IAsyncEnumerable<ReadLine> TextLines(TextReader input, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long lineNo = 0;
        string? line;
        while ((line = await input.ReadLineAsync(ct)) is not null)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var ok = EventJson.TryParse(line, out var evt, out var reason, maxMessageBytes);
            yield return new ReadLine(lineNo, line, evt, ok ? null : reason);
        }
    }

    private async IAsyncEnumerable<ReadLine> ByteLines(Stream input, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var reader = new ByteLineReader(input, Math.Max(maxMessageBytes, DeadLetterMessage.DefaultValueLimit) + 1);
        long lineNo = 0;
        while (await reader.ReadAsync(ct))
        {
            lineNo++;
            if (reader.Length == 0) continue;
            yield return Read(lineNo, reader.Line, reader.Length);
        }
    }

    private ReadLine Read(long lineNo, ReadOnlyMemory<byte> kept, long length)
    {
        if (length > maxMessageBytes)
            return new ReadLine(lineNo, kept[..Math.Min(kept.Length, DeadLetterMessage.DefaultValueLimit)].ToArray(), null, EventJson.Oversized(length, maxMessageBytes));
        var ok = EventJson.TryParse(kept.Span, out var evt, out var reason, maxMessageBytes);
        return new ReadLine(lineNo, kept.ToArray(), evt, ok ? null : reason);
    }

    private async Task RunLinesAsync(IAsyncEnumerable<ReadLine> lines, TextWriter alerts, TextWriter? commands, TextWriter? deadLetters, CancellationToken ct)
    {
        var inFlight = new Queue<InFlight>();
        var events = new List<IngestedEvent>(batchSize);
        var raw = new List<(long Line, object Text)>(batchSize);
        var dead = new List<DeadLetter>();
        var bad = 0;
        var sinceCheckpoint = 0L;
        Task? committing = null;
        DateTimeOffset? latest = null;
        await foreach (var line in lines.WithCancellation(ct))
        {
            if (line.Event is { } evt)
            {
                events.Add(new IngestedEvent(evt, 0));
                raw.Add((line.Number, line.Text));
                if (latest is null || evt.OccurredAt > latest) latest = evt.OccurredAt;
            }
            else
            {
                bad++;
                dead.Add(LineDeadLetter(line.Reason!, line.Number, line.Text));
            }
            if (events.Count + bad < batchSize) continue;
            sinceCheckpoint += events.Count + bad;
            inFlight.Enqueue(new InFlight(graph.ProcessAsync(events, ct), raw, bad, dead, latest, Accepted(events)));
            (events, raw, dead, bad, latest) = (new List<IngestedEvent>(batchSize), new List<(long Line, object Text)>(batchSize), [], 0, null);
            if (inFlight.Count >= 3) await Drain(inFlight.Dequeue(), alerts, commands, deadLetters);
            if (Checkpoint is null || sinceCheckpoint < CheckpointEvents) continue;
            while (inFlight.Count > 0) await Drain(inFlight.Dequeue(), alerts, commands, deadLetters);
            if (committing is not null) await committing; // a refused checkpoint stops the replay here, one period late
            committing = await Checkpoint(ct);
            sinceCheckpoint = 0;
        }
        inFlight.Enqueue(new InFlight(graph.ProcessAsync(events, ct), raw, bad, dead, latest, Accepted(events)));
        while (inFlight.Count > 0) await Drain(inFlight.Dequeue(), alerts, commands, deadLetters);
        if (committing is not null) await committing;
        if (Checkpoint is not null) await await Checkpoint(ct);
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
        BatchPublished?.Invoke(new BatchReport(result.Alerts, sent, item.Dead, item.Latest) { Events = [.. result.Accepted.Select(i => item.Events[i])], Shut = result.Shut }); // redeliveries and refused events are not shown
    }

    private IReadOnlyList<QueryLogEvent> Accepted(List<IngestedEvent> events) => BatchPublished is null ? [] : [.. events.Select(e => e.Event)];

    /// <summary>
    /// The dead letter of a line, keeping at most <see cref="DeadLetterMessage.DefaultValueLimit"/> bytes of it, as a
    /// Kafka dead letter does (the line number points at the rest); bytes that are not UTF-8 show as U+FFFD there
    /// (the reason gives the position).
    /// </summary>
    private static DeadLetter LineDeadLetter(string reason, long line, object text) =>
        new()
        {
            Reason = reason, Source = "line", Position = line,
            Original = text is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, DeadLetterMessage.DefaultValueLimit)) : (string)text,
        };

    /// <summary>One line read: the event, or why it is not one; its text (string) or bytes (byte[]) for a dead letter.</summary>
    private sealed record ReadLine(long Number, object Text, QueryLogEvent? Event, string? Reason);

    /// <summary>A batch handed to the graph, with what is needed to publish its outcome in order.</summary>
    private sealed record InFlight(Task<BatchProcessed> Task, List<(long Line, object Text)> Raw, int Bad, List<DeadLetter> Dead, DateTimeOffset? Latest, IReadOnlyList<QueryLogEvent> Events);
}
