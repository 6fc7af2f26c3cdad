using Monitor.Contracts;
using Monitor.Messages;
using Monitor.Store;

namespace Monitor.Ingest;

/// <summary>The <see cref="IOutputLedger"/> on the alert store.</summary>
public sealed class StoreLedger(AlertStore store) : IOutputLedger
{
    public async Task<IReadOnlyList<PermissionCommand>> RecordAsync(BatchProcessed result, CancellationToken ct)
    {
        if (result.Alerts.Count == 0 && result.Commands.Count == 0 && result.Shut.Count == 0 && result.Days.Count == 0) return result.Commands;
        return (await store.RecordAsync(result.Alerts, result.Commands, result.Shut, result.Days)).ToSend;
    }

    public Task SentAsync(IReadOnlyList<PermissionCommand> commands, CancellationToken ct) =>
        commands.Count == 0 ? Task.CompletedTask : store.MarkSentAsync(commands.Select(c => c.CommandId));

    public async Task<IReadOnlyList<(PermissionCommand Command, DateTimeOffset RecordedAt)>> UnconfirmedAsync(DateTimeOffset before, CancellationToken ct) =>
        await store.UnsentBeforeAsync(before);
}
