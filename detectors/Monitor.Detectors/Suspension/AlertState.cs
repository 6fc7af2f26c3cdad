using Monitor.Contracts;
using Monitor.Contracts.State;

namespace Monitor.Detectors.Suspension;

/// <summary>An alert revision in a snapshot, every field, for the suspension memory that keeps recent alerts.</summary>
public static class AlertState
{
    public static void Write(StateWriter w, Alert a)
    {
        w.Write(a.AlertId);
        w.Write(a.Revision);
        w.Write(a.Rule);
        w.Write(a.EntityType);
        w.Write(a.EntityId);
        w.WriteNullable(a.UserId);
        w.WriteNullable(a.BranchId);
        w.Write(a.Severity);
        w.Write(a.Score);
        w.Write(a.Day);
        w.Write(a.EventTime);
        w.Write(a.LastEventTime);
        w.Write(a.Count);
        w.Write(a.Explanation);
        w.Write(a.Explanations is not null);
        if (a.Explanations is { } both)
        {
            w.Write(both.Zh);
            w.Write(both.En);
        }
        w.Write(a.Evidence, static (w, e) => w.Write(e));
        w.Write(a.SuspensionRequested);
    }

    public static Alert Read(StateReader r) => new()
    {
        // The initializers run in order, so the fields are read in the order they were written.
        AlertId = r.ReadString(),
        Revision = r.ReadInt(),
        Rule = r.ReadString(),
        EntityType = r.ReadString(),
        EntityId = r.ReadString(),
        UserId = r.ReadNullableString(),
        BranchId = r.ReadNullableString(),
        Severity = r.ReadString(),
        Score = r.ReadInt(),
        Day = r.ReadString(),
        EventTime = r.ReadTime(),
        LastEventTime = r.ReadTime(),
        Count = r.ReadInt(),
        Explanation = r.ReadString(),
        Explanations = r.ReadBool() ? new Localized { Zh = r.ReadString(), En = r.ReadString() } : null,
        Evidence = r.ReadList(static r => r.ReadString()),
        SuspensionRequested = r.ReadBool(),
    };
}
