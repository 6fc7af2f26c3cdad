namespace Monitor.Contracts.State;

/// <summary>
/// The version of the detector-state layout. Bump <see cref="Version"/> whenever any state class writes a
/// field more, less or in another form: a release then drops (and says so) or migrates snapshots of the older
/// layout instead of misreading them.
/// </summary>
public static class StateSchema
{
    /// <summary>"MST1": marks the start of a detector-state snapshot.</summary>
    public const int Magic = 0x3154534D;

    public const int Version = 5; // 5: peer days in the coordinator (PeerDays: open days, usual courses, learned peaks), the behaviour watch's peer factors by day and the hours it flagged by day, the account's creation, the post-loan rolling window, standing conditions, the alerts' first detection and case; 4: findings keep their explanation as a template key and arguments (Phrase), alerts their explanations in both languages;  3: the approval register (RegisterLedger), leavers (LeaverWatch), administrators' changes (AdminGovernance), watched employees and register coverage in EventDays, leaving employees in EmployeeRouting;  2: the user's daily-verification tally (DayTally) and dedicated terminals (WindowTerminals); the series detector's lag buffer and windows

    /// <summary>
    /// The oldest schema this release still reads, by asking <see cref="StateReader.Version"/> where a layout changed;
    /// snapshots older than it are dropped (docs/operations.md, "Upgrading").
    /// </summary>
    public const int OldestReadable = 5;
}

/// <summary>A snapshot that cannot be read by this release: another schema version, or damaged.</summary>
public sealed class StateFormatException(string message) : Exception(message)
{
    /// <summary>The schema version the snapshot says it was written with, when it got that far.</summary>
    public int? Version { get; init; }
}

/// <summary>
/// State that survives a restart: written to and read from a snapshot in one fixed order. Restore is called on
/// a freshly constructed instance (with the same constructor arguments) and replaces its whole state.
/// </summary>
public interface IDurableState
{
    void Save(StateWriter w);

    void Restore(StateReader r);
}
