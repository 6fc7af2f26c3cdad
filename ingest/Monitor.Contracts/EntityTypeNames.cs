namespace Monitor.Contracts;

/// <summary>
/// The entity types an alert is about, as alerts and suppressions name them: shared by the settings file's
/// checks and the officers' API, so both accept the same words.
/// </summary>
public static class EntityTypeNames
{
    public static readonly IReadOnlyList<string> All = ["user", "branch", "employee", "terminal", "subject"];
}
