using Monitor.Contracts;

namespace Monitor.Store;

/// <summary>
/// A branch's daily verification sheet (日核查, 102号文) for one local day, built from what the store holds once the
/// day has closed: a row per user with the day's figures, the totals, every finding of the day, and the items that
/// need an officer's verdict: every finding, and each spot-check report no finding already names.
/// </summary>
public sealed record DaySheet(
    string BranchId,
    string Day,
    IReadOnlyList<DaySheetRow> Users,
    DaySheetRow Totals,
    IReadOnlyList<StoredAlert> Findings,
    IReadOnlyList<SheetItem> Items,
    SheetStatus Status)
{
    /// <summary>Items without a verdict yet.</summary>
    public int Undecided => Items.Count(i => i.Verdict is null);

    /// <summary>As the API answers it: the directory's name of the branch, and of its users and employees by id (absent when none is named).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] public string? BranchName { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? UserNames { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? EmployeeNames { get; init; }

    /// <summary>
    /// Whether the approval register (查询审批登记簿) delivered entries for this branch that day: "present", or "missing"
    /// (the bank has no register feed, or it failed that day): then REGISTER_MISMATCH judged nothing, and the officer
    /// reconciles the reads with the paper register by hand.
    /// </summary>
    public string RegisterFeed => Users.Any(u => u.RegisterEntries is not null) ? "present" : "missing";

    /// <summary>Items whose standing verdict (corrections included) is a violation.</summary>
    public int Violations => Items.Count(i => i.Standing?.Verdict == ItemVerdict.Violation);

    /// <summary>
    /// The sheet of <paramref name="branchId"/>'s day from its users' closed days and the day's alerts, with its
    /// sign-off as far as it has gone (<paramref name="status"/>, the verdicts given and the corrections after signing).
    /// </summary>
    public static DaySheet Build(string branchId, string day, IReadOnlyList<UserDay> users, IReadOnlyList<StoredAlert> alerts,
        SheetStatus? status = null, IReadOnlyDictionary<string, ItemVerdict>? verdicts = null, IReadOnlyList<(string ItemId, ItemVerdict Correction)>? corrections = null)
    {
        var findingsOf = alerts.Where(a => a.Alert.UserId is not null).GroupBy(a => a.Alert.UserId!).ToDictionary(g => g.Key, g => g.Count());
        var rows = users.Select(u => DaySheetRow.Of(u, findingsOf.GetValueOrDefault(u.UserId))).ToList();
        var flagged = alerts.SelectMany(a => a.Alert.Evidence).ToHashSet(StringComparer.Ordinal);
        var items = new List<SheetItem>();
        items.AddRange(alerts.Select(a => new SheetItem($"finding:{a.Alert.AlertId}", SheetItem.Finding, a.Alert.UserId, a.Alert.EventTime)
        {
            AlertId = a.Alert.AlertId, Rule = a.Alert.Rule, Severity = a.Alert.Severity, Explanation = a.Alert.Explanation, Explanations = a.Alert.Explanations,
        }));
        items.AddRange(users.SelectMany(u => u.Sample.Where(s => !flagged.Contains(s.EventId)).Select(s =>
            new SheetItem($"spot-check:{s.EventId}", SheetItem.SpotCheck, u.UserId, s.OccurredAt)
            {
                EventId = s.EventId, Purpose = s.Purpose, SubjectType = s.SubjectType, SubjectId = s.SubjectId, AuthorizationId = s.AuthorizationId,
            })).OrderBy(i => i.At).ThenBy(i => i.ItemId, StringComparer.Ordinal));
        var decided = items.ConvertAll(i => i with
        {
            Verdict = verdicts?.GetValueOrDefault(i.ItemId),
            Corrections = corrections?.Where(c => c.ItemId == i.ItemId).Select(c => c.Correction).ToList() ?? [],
        });
        return new DaySheet(branchId, day, rows, DaySheetRow.Sum(rows), alerts, decided, status ?? SheetStatus.Open);
    }
}

/// <summary>One user's line of a daily sheet (or the sheet's totals, with no user).</summary>
public sealed record DaySheetRow(
    string? UserId,
    string? EmployeeId,
    int ReadsTotal,
    IReadOnlyDictionary<string, int> Reads,
    int Refused,
    int NeedingAuthorization,
    int Authorized,
    int OffHours,
    int Logins,
    int LoginFailures,
    int AccountChanges,
    int Findings)
{
    /// <summary>Entries of the approval register approved that day; null when the register did not cover the day.</summary>
    public int? RegisterEntries { get; init; }

    /// <summary>Reads needing a register entry that had none; null when the register did not cover the day.</summary>
    public int? WithoutEntry { get; init; }

    public static DaySheetRow Of(UserDay d, int findings) =>
        new(d.UserId, d.EmployeeId, d.ReadsTotal, d.Reads, d.Refused, d.NeedingAuthorization, d.Authorized, d.OffHours, d.Logins, d.LoginFailures, d.AccountChanges, findings)
        {
            RegisterEntries = d.Register?.Entries,
            WithoutEntry = d.Register?.WithoutEntry,
        };

    /// <summary>The totals row: every count summed, reads by purpose too.</summary>
    public static DaySheetRow Sum(IReadOnlyList<DaySheetRow> rows)
    {
        var reads = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (purpose, n) in rows.SelectMany(r => r.Reads)) reads[purpose] = reads.GetValueOrDefault(purpose) + n;
        var covered = rows.Where(r => r.RegisterEntries is not null).ToList();
        return new(null, null, rows.Sum(r => r.ReadsTotal), reads, rows.Sum(r => r.Refused), rows.Sum(r => r.NeedingAuthorization), rows.Sum(r => r.Authorized),
            rows.Sum(r => r.OffHours), rows.Sum(r => r.Logins), rows.Sum(r => r.LoginFailures), rows.Sum(r => r.AccountChanges), rows.Sum(r => r.Findings))
        {
            RegisterEntries = covered.Count == 0 ? null : covered.Sum(r => r.RegisterEntries),
            WithoutEntry = covered.Count == 0 ? null : covered.Sum(r => r.WithoutEntry),
        };
    }
}

/// <summary>Something on a daily sheet an officer gives a verdict on: a finding (an alert) or a spot-check report.</summary>
public sealed record SheetItem(string ItemId, string Kind, string? UserId, DateTimeOffset At)
{
    public const string Finding = "finding";
    public const string SpotCheck = "spot-check";

    public string? AlertId { get; init; }
    public string? Rule { get; init; }
    public string? Severity { get; init; }
    public string? Explanation { get; init; }

    /// <summary>A finding's explanation in Chinese and English (docs/outputs.md), where its alert has them.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Localized? Explanations { get; init; }

    public string? EventId { get; init; }
    public string? Purpose { get; init; }
    public string? SubjectType { get; init; }
    public string? SubjectId { get; init; }
    public string? AuthorizationId { get; init; }

    /// <summary>The officer's verdict, once given: final when the sheet is signed.</summary>
    public ItemVerdict? Verdict { get; init; }

    /// <summary>Corrections made after the sheet was signed, oldest first; each stands beside the verdict it corrects.</summary>
    public IReadOnlyList<ItemVerdict> Corrections { get; init; } = [];

    /// <summary>The verdict that stands: the latest correction, else the verdict signed (what reports count).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ItemVerdict? Standing => Corrections.Count > 0 ? Corrections[^1] : Verdict;
}

/// <summary>An officer's verdict on a sheet item: <c>legitimate</c> or <c>violation</c>, why, who and when.</summary>
public sealed record ItemVerdict(string Verdict, string Reason, string By, DateTimeOffset At)
{
    public const string Legitimate = "legitimate";
    public const string Violation = "violation";
    public static readonly string[] All = [Legitimate, Violation];
}

/// <summary>
/// How far a sheet's sign-off has gone: signed (by whom, when, with what note), and to which level it was escalated
/// because it was not signed in time (<see cref="None"/>, <see cref="Parent"/>: the parent branch's officers,
/// <see cref="HeadOffice"/>).
/// </summary>
public sealed record SheetStatus(string? SignedBy, DateTimeOffset? SignedAt, string? Note, int Escalation, DateTimeOffset? EscalatedAt)
{
    public const int None = 0;
    public const int Parent = 1;
    public const int HeadOffice = 2;
    public static readonly SheetStatus Open = new(null, null, null, None, null);

    public bool Signed => SignedAt is not null;

    /// <summary>The escalation level as shown: "none", "parent" or "head-office".</summary>
    public string EscalatedTo => Escalation switch { Parent => "parent", HeadOffice => "head-office", _ => "none" };
}
