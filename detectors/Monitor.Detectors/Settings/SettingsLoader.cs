using System.Text.Json;
using Monitor.Contracts;
using NodaTime;
using NodaTime.Text;

namespace Monitor.Detectors.Settings;

/// <summary>
/// Reads and checks the settings file. A bad file is refused with a message naming the key and the problem,
/// so a caller can keep running on the last good settings.
/// </summary>
public static class SettingsLoader
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static DetectionSettings Parse(string json)
    {
        DetectionSettings? s;
        try
        {
            s = JsonSerializer.Deserialize<DetectionSettings>(json, Options);
        }
        catch (JsonException e)
        {
            throw new SettingsException(JsonProblem.Describe(e));
        }
        var settings = s ?? throw new SettingsException("settings: the file is empty (null); write {} for the defaults");
        Validate(settings);
        return settings;
    }

    /// <summary>The settings as JSON that <see cref="Parse"/> reads back to the same settings (to send them to another node).</summary>
    public static string Write(DetectionSettings settings) => JsonSerializer.Serialize(settings, Options);

    public static DetectionSettings Load(string? path) => path is null ? Validated(new DetectionSettings()) : Parse(Read(path));

    /// <summary>The file's text; one line naming the file when it cannot be read.</summary>
    public static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SettingsException($"settings: {path} does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"settings: cannot read {path}: {e.Message}");
        }
    }

    private static DetectionSettings Validated(DetectionSettings s)
    {
        Validate(s);
        return s;
    }

    /// <summary>Throws <see cref="SettingsException"/> naming the first bad key.</summary>
    public static void Validate(DetectionSettings s)
    {
        Positive("allowedLatenessMinutes", s.AllowedLatenessMinutes, allowZero: true);
        Positive("dedupHorizonHours", s.DedupHorizonHours);
        Positive("maxJumpDays", s.MaxJumpDays);
        Atmost("maxJumpDays", s.MaxJumpDays, 3660);
        Positive("maxAheadOfClockMinutes", s.MaxAheadOfClockMinutes, allowZero: true);
        Atmost("maxAheadOfClockMinutes", s.MaxAheadOfClockMinutes, 525_600);
        Positive("maxLeadHours", s.MaxLeadHours);
        Atmost("maxLeadHours", s.MaxLeadHours, 24 * 366);
        ValidateRules("", s);
        foreach (var r in s.Suspension.Rules) RuleId("suspension.rules", r);
        Positive("suspension.valvePerBranchPerHour", s.Suspension.ValvePerBranchPerHour);
        SeverityName("suspension.minSeverity", s.Suspension.MinSeverity);
        foreach (var r in s.Suspension.NeverAlone) RuleId("suspension.neverAlone", r);
        if (s.Suspension.MinScore is { } minScore && minScore is < 1 or > 100)
            throw new SettingsException($"settings: suspension.minScore: {minScore} is not between 1 and 100");
        if (s.Suspension.Repeated is { } repeated)
        {
            Atleast("suspension.repeated.alerts", repeated.Alerts, 2);
            Positive("suspension.repeated.withinDays", repeated.WithinDays);
            SeverityName("suspension.repeated.minSeverity", repeated.MinSeverity);
        }
        ValidateBehaviour(s.Behaviour);
        if (!(s.Cases.BranchFactor > 1) || double.IsInfinity(s.Cases.BranchFactor))
            throw new SettingsException($"settings: cases.branchFactor: {s.Cases.BranchFactor} must be more than 1");
        foreach (var rule in s.Cases.BranchRules) RuleId("cases.branchRules", rule);
        ParseTime("dailySheet.signBy", s.DailySheet.SignBy);
        if (double.IsNaN(s.DailySheet.SampleRate) || s.DailySheet.SampleRate is < 0 or > 1)
            throw new SettingsException($"settings: dailySheet.sampleRate: {s.DailySheet.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not between 0 and 1");
        Positive("state.checkpointSeconds", s.State.CheckpointSeconds);
        Atmost("state.checkpointSeconds", s.State.CheckpointSeconds, 3600);
        Atleast("state.checkpointEvents", s.State.CheckpointEvents, 1000);
        Positive("state.idleMinutes", s.State.IdleMinutes);
        var defaults = BranchPolicies.DefaultsNode(s);
        foreach (var (id, entry) in s.Branches)
        {
            RuleSettings merged;
            try
            {
                merged = BranchPolicies.Resolve(defaults, entry);
            }
            catch (JsonException e)
            {
                throw new SettingsException(JsonProblem.Describe(e, $"branches.{id}."));
            }
            ValidateRules($"branches.{id}.", merged);
        }
        for (var i = 0; i < s.Suppressions.Count; i++) ValidateSuppression($"suppressions[{i}]", s.Suppressions[i]);
        ValidateApi(s.Api);
        if (NotificationSettingsCheck.Problem(s.Notifications) is { } problem) throw new SettingsException("settings: " + problem);
    }

    private static void ValidateRules(string p, RuleSettings r)
    {
        Zone(p + "timeZone", r.TimeZone);
        Hours(p + "workingHours", r.WorkingHours);
        foreach (var (name, h) in r.WorkingHours.Channels)
        {
            Channel(p + "workingHours.channels", name);
            Hours($"{p}workingHours.channels.{name}", h);
        }
        foreach (var c in r.OffHours.ExemptChannels) Channel(p + "offHours.exemptChannels", c);
        Hours(p + "kiosk", new HoursRange { Start = r.Kiosk.Start, End = r.Kiosk.End });
        var v = r.Volume;
        Optional(p + "volume.userDaily", v.UserDaily);
        Optional(p + "volume.userMonthly", v.UserMonthly);
        Optional(p + "volume.branchDaily", v.BranchDaily);
        Optional(p + "volume.branchMonthly", v.BranchMonthly);
        Optional(p + "volume.subtreeDaily", v.SubtreeDaily);
        Optional(p + "volume.subtreeMonthly", v.SubtreeMonthly);
        if (v.RelativeFactor is <= 1) throw new SettingsException($"settings: {p}volume.relativeFactor: {v.RelativeFactor} must be more than 1 (null switches it off)");
        Positive(p + "volume.relativeMinUser", v.RelativeMinUser);
        Positive(p + "volume.relativeMinBranch", v.RelativeMinBranch);
        Positive(p + "volume.relativeMinHistoryDays", v.RelativeMinHistoryDays);
        Positive(p + "sharedAccount.windowMinutes", r.SharedAccount.WindowMinutes);
        Positive(p + "sharedAccount.accountsPerEmployee", r.SharedAccount.AccountsPerEmployee);
        Positive(p + "sharedAccount.lookbackDays", r.SharedAccount.LookbackDays);
        Atleast(p + "repeatedSubject.perUserCount", r.RepeatedSubject.PerUserCount, 2);
        Positive(p + "repeatedSubject.perUserWindowHours", r.RepeatedSubject.PerUserWindowHours);
        Atleast(p + "repeatedSubject.distinctUsers", r.RepeatedSubject.DistinctUsers, 2);
        Atleast(p + "repeatedSubject.distinctBranches", r.RepeatedSubject.DistinctBranches, 2);
        Positive(p + "repeatedSubject.crossWindowHours", r.RepeatedSubject.CrossWindowHours);
        Positive(p + "postLoan.unknownSubjectsPerDay", r.PostLoan.UnknownSubjectsPerDay);
        Positive(p + "postLoan.memoryDays", r.PostLoan.MemoryDays);
        Positive(p + "postLoan.warmupDays", r.PostLoan.WarmupDays, allowZero: true);
        Positive(p + "postLoan.shareMinQueries", r.PostLoan.ShareMinQueries);
        Share(p + "postLoan.maxUsualUnknownShare", r.PostLoan.MaxUsualUnknownShare);
        Positive(p + "postLoan.countMin", r.PostLoan.CountMin);
        Factor(p + "postLoan.countFactor", r.PostLoan.CountFactor);
        Share(p + "postLoan.shareMin", r.PostLoan.ShareMin);
        Factor(p + "postLoan.shareFactor", r.PostLoan.ShareFactor);
        Positive(p + "postLoan.shareHistoryDays", r.PostLoan.ShareHistoryDays);
        var cumulative = r.PostLoanCumulative;
        Atleast(p + "postLoanCumulative.windowDays", cumulative.WindowDays, 2);
        if (cumulative.WindowDays > PostLoanWindowMax)
            throw new SettingsException($"settings: {p}postLoanCumulative.windowDays: {cumulative.WindowDays} must be at most {PostLoanWindowMax}");
        Atleast(p + "postLoanCumulative.minSubjects", cumulative.MinSubjects, 2);
        Factor(p + "postLoanCumulative.factor", cumulative.Factor);
        PositiveReal(p + "postLoanCumulative.deviation", cumulative.Deviation);
        Positive(p + "postLoanCumulative.repeatDays", cumulative.RepeatDays);
        Positive(p + "dormant.idleDays", r.Dormant.IdleDays);
        Atleast(p + "loginFailures.perAccount", r.LoginFailures.PerAccount, 2);
        Atleast(p + "loginFailures.perTerminal", r.LoginFailures.PerTerminal, 2);
        Positive(p + "loginFailures.windowMinutes", r.LoginFailures.WindowMinutes);
        Positive(p + "passwordAge.maxMonths", r.PasswordAge.MaxMonths);
        Positive(p + "passwordAge.repeatDays", r.PasswordAge.RepeatDays);
        Positive(p + "roleConflict.lookbackDays", r.RoleConflict.LookbackDays);
        Positive(p + "roleConflict.repeatDays", r.RoleConflict.RepeatDays);
        Positive(p + "sharedAccount.repeatDays", r.SharedAccount.RepeatDays);
        Positive(p + "repeatRatio.lookbackDays", r.RepeatRatio.LookbackDays);
        Atleast(p + "repeatRatio.minSubjects", r.RepeatRatio.MinSubjects, 2);
        Share(p + "repeatRatio.threshold", r.RepeatRatio.Threshold);
        Atleast(p + "windowTerminal.learnTerminals", r.WindowTerminal.LearnTerminals, 1);
        foreach (var purpose in r.RegisterMismatch.Purposes)
            if (!WireNames.TryParse<Purpose>(purpose, out _))
                throw new SettingsException($"settings: {p}registerMismatch.purposes: '{Printable.Escape(purpose)}' is not a purpose ({string.Join(", ", WireNames.All<Purpose>())})");
        Positive(p + "registerMismatch.windowHours", r.RegisterMismatch.WindowHours);
        Positive(p + "registerMismatch.lateEntryMinutes", r.RegisterMismatch.LateEntryMinutes, allowZero: true);
        Positive(p + "leaverAccount.disableWithinDays", r.LeaverAccount.DisableWithinDays, allowZero: true);
        if (r.LeaverAccount.DisableWithinDays > 30)
            throw new SettingsException($"settings: {p}leaverAccount.disableWithinDays: {r.LeaverAccount.DisableWithinDays} must be at most 30 (working days)");
        Atleast(p + "adminGovernance.passwordResetsPerMonth", r.AdminGovernance.PasswordResetsPerMonth, 1);
        Atleast(p + "adminGovernance.burstChanges", r.AdminGovernance.BurstChanges, 2);
        Positive(p + "adminGovernance.burstMinutes", r.AdminGovernance.BurstMinutes);
    }

    /// <summary>The longest rolling window POST_LOAN_CUMULATIVE keeps per user.</summary>
    public const int PostLoanWindowMax = 31;

    private static void ValidateBehaviour(BehaviourSettings b)
    {
        Atleast("behaviour.rampDays", b.RampDays, 0);
        if (b.MinScore is < 1 or > 100) throw new SettingsException($"settings: behaviour.minScore: {b.MinScore} must be from 1 to 100");
        PositiveReal("behaviour.ownDeviation", b.OwnDeviation);
        PositiveReal("behaviour.driftLimit", b.DriftLimit);
        PositiveReal("behaviour.driftSlack", b.DriftSlack);
        PositiveReal("behaviour.peerFactor", b.PeerFactor);
        Atleast("behaviour.minHistoryDays", b.MinHistoryDays, 3);
        Atleast("behaviour.historyDays", b.HistoryDays, b.MinHistoryDays);
        Positive("behaviour.lagDays", b.LagDays, allowZero: true);
        Atleast("behaviour.minPeerWindows", b.MinPeerWindows, 10);
        Atleast("behaviour.minPeers", b.MinPeers, 2);
        PositiveReal("behaviour.hourlyDeviation", b.HourlyDeviation);
        PositiveReal("behaviour.hourlyFactor", b.HourlyFactor);
        Atleast("behaviour.hourlyMinReads", b.HourlyMinReads, 1);
        Positive("behaviour.trainingDays", b.TrainingDays);
        Positive("behaviour.retrainMinutes", b.RetrainMinutes);
    }

    private static void PositiveReal(string key, double value)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new SettingsException($"settings: {key}: {value} must be more than zero");
    }

    private static void ValidateSuppression(string key, Suppression s)
    {
        RuleId(key + ".rule", s.Rule);
        if (!EntityTypeNames.All.Contains(s.EntityType)) throw new SettingsException($"settings: {key}.entityType: '{s.EntityType}' is not {string.Join("|", EntityTypeNames.All)}");
        if (string.IsNullOrWhiteSpace(s.EntityId)) throw new SettingsException($"settings: {key}.entityId: missing");
        if (s.Until == default) throw new SettingsException($"settings: {key}.until: missing (a time with offset, e.g. 2026-05-01T00:00:00+08:00)");
        if (s.From is { } from && from >= s.Until) throw new SettingsException($"settings: {key}.from: {from:O} must be before until ({s.Until:O})");
        if (string.IsNullOrWhiteSpace(s.Reason)) throw new SettingsException($"settings: {key}.reason: missing; say why the alerts are accepted");
        if (string.IsNullOrWhiteSpace(s.By)) throw new SettingsException($"settings: {key}.by: missing; name who decided");
    }

    internal static LocalTime ParseTime(string key, string text)
    {
        var r = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text);
        if (!r.Success && text != "24:00") throw new SettingsException($"settings: {key}: '{text}' is not a time of day HH:mm");
        return r.Success ? r.Value : LocalTime.MaxValue;
    }

    private static void Hours(string key, HoursRange h)
    {
        var start = ParseTime(key + ".start", h.Start);
        var end = ParseTime(key + ".end", h.End);
        if (end <= start) throw new SettingsException($"settings: {key}: end {h.End} must be after start {h.Start}");
    }

    private static void Channel(string key, string name)
    {
        if (!WireNames.TryParse<Channel>(name, out _))
            throw new SettingsException($"settings: {key}: '{name}' is not a channel ({string.Join("|", WireNames.All<Channel>())})");
    }

    private static void Zone(string key, string id)
    {
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is null)
            throw new SettingsException($"settings: {key}: '{id}' is not a time zone id (e.g. Asia/Shanghai)");
    }

    private static void ValidateApi(ApiSettings api)
    {
        // HOST:PORT, or a port alone (127.0.0.1:PORT); the CLI resolves host names (ApiListen).
        var listen = api.Listen;
        var portText = listen.Length > 0 && listen.All(char.IsAsciiDigit) ? listen : listen.LastIndexOf(':') is > 0 and var colon ? listen[(colon + 1)..] : "";
        if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw new SettingsException($"settings: api.listen: '{api.Listen}' is not HOST:PORT or a port");
        if (api.ReadyMaxLag is <= 0) throw new SettingsException($"settings: api.readyMaxLag: {api.ReadyMaxLag} must be more than zero (null: never unready for lag)");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < api.Keys.Count; i++)
        {
            var k = api.Keys[i];
            if (string.IsNullOrWhiteSpace(k.Name) || !names.Add(k.Name)) throw new SettingsException($"settings: api.keys[{i}].name: '{k.Name}' is empty or used twice");
            if (k.Role is not ("officer" or "analyst" or "auditor")) throw new SettingsException($"settings: api.keys[{i}].role: '{k.Role}' is not officer|analyst|auditor");
            if (k.Sha256.Length != 64 || !k.Sha256.All(char.IsAsciiHexDigit)) throw new SettingsException($"settings: api.keys[{i}].sha256: not a SHA-256 hash in hex (make one with ./monitor api-key)");
        }
    }

    private static void RuleId(string key, string value)
    {
        if (!RuleIds.All.Contains(value)) throw new SettingsException($"settings: {key}: '{value}' is not a rule id");
    }

    private static void SeverityName(string key, string value)
    {
        if (value is not ("low" or "medium" or "high" or "critical"))
            throw new SettingsException($"settings: {key}: '{value}' is not low|medium|high|critical");
    }

    private static void Positive(string key, int value, bool allowZero = false)
    {
        if (value < 0 || (value == 0 && !allowZero)) throw new SettingsException($"settings: {key}: {value} must be {(allowZero ? "zero or more" : "more than zero")}");
    }

    /// <summary>A multiplier that must raise what it multiplies.</summary>
    private static void Factor(string key, double value)
    {
        if (value <= 1) throw new SettingsException($"settings: {key}: {value} must be more than 1");
    }

    private static void Atmost(string key, int value, int max)
    {
        if (value > max) throw new SettingsException($"settings: {key}: {value} must be {max} or less");
    }

    private static void Atleast(string key, int value, int min)
    {
        if (value < min) throw new SettingsException($"settings: {key}: {value} must be {min} or more");
    }

    private static void Optional(string key, int? value)
    {
        if (value is <= 0) throw new SettingsException($"settings: {key}: {value} must be more than zero (null switches it off; leave it out to inherit)");
    }

    private static void Share(string key, double value)
    {
        if (value is <= 0 or > 1 || double.IsNaN(value)) throw new SettingsException($"settings: {key}: {value} must be a share above 0 and at most 1");
    }
}

/// <summary>A settings file that cannot be used; the message names the key.</summary>
public sealed class SettingsException(string message) : Exception(message);
