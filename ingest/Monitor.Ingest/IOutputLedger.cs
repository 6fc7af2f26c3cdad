using Monitor.Contracts;
using Monitor.Messages;

namespace Monitor.Ingest;

/// <summary>
/// Where a batch's outputs are recorded before they are published, and which commands may go: the alert store
/// refuses a second suspension of a user already suspended and a command already sent, which is what makes a
/// suspension happen once across redelivery, replay and restart. Sent commands are confirmed afterwards; a
/// crash in between leaves them unconfirmed, and the next start looks for them where they were sent before it
/// sends them again (<see cref="UnconfirmedCommands"/>).
/// </summary>
public interface IOutputLedger
{
    /// <summary>Records the batch; returns the commands to publish.</summary>
    Task<IReadOnlyList<PermissionCommand>> RecordAsync(BatchProcessed result, CancellationToken ct);

    /// <summary>The brokers (or the file) have the commands.</summary>
    Task SentAsync(IReadOnlyList<PermissionCommand> commands, CancellationToken ct);

    /// <summary>Commands recorded before <paramref name="before"/> and never confirmed sent, with when each was recorded.</summary>
    Task<IReadOnlyList<(PermissionCommand Command, DateTimeOffset RecordedAt)>> UnconfirmedAsync(DateTimeOffset before, CancellationToken ct);
}
