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
    private static readonly JsonSerializerOptions Options = new()
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
            throw new SettingsException($"settings: {(e.Path is { Length: > 2 } p ? p[2..] : "file")}: {e.Message.Split(". ")[0]}");
        }
        var settings = s ?? throw new SettingsException("settings: the file is empty");
        Validate(settings);
        return settings;
    }

    public static DetectionSettings Load(string? path) => path is null ? Validated(new DetectionSettings()) : Parse(File.ReadAllText(path));

    private static DetectionSettings Validated(DetectionSettings s)
    {
        Validate(s);
        return s;
    }

    /// <summary>Throws <see cref="SettingsException"/> naming the first bad key.</summary>
    public static void Validate(DetectionSettings s)
    {
        Zone("timeZone", s.TimeZone);
        Positive("allowedLatenessMinutes", s.AllowedLatenessMinutes, allowZero: true);
        Positive("dedupHorizonHours", s.DedupHorizonHours);
        Positive("maxJumpDays", s.MaxJumpDays);
        Hours("workingHours", s.WorkingHours);
        Volume("volume", s.Volume.UserDaily, s.Volume.UserMonthly, s.Volume.BranchDaily, s.Volume.BranchMonthly);
        foreach (var c in s.OffHours.ExemptChannels)
            if (!WireNames.TryParse<Channel>(c, out _))
                throw new SettingsException($"settings: offHours.exemptChannels: '{c}' is not a channel ({string.Join("|", WireNames.All<Channel>())})");
        foreach (var r in s.Suspension.Rules)
            if (!RuleIds.All.Contains(r))
                throw new SettingsException($"settings: suspension.rules: '{r}' is not a rule id");
        if (s.Suspension.MinSeverity is not ("low" or "medium" or "high" or "critical"))
            throw new SettingsException($"settings: suspension.minSeverity: '{s.Suspension.MinSeverity}' is not low|medium|high|critical");
        foreach (var (id, b) in s.Branches)
        {
            if (b.TimeZone is not null) Zone($"branches.{id}.timeZone", b.TimeZone);
            if (b.WorkingHours is not null) Hours($"branches.{id}.workingHours", b.WorkingHours);
            if (b.Volume is { } v) Volume($"branches.{id}.volume", v.UserDaily, v.UserMonthly, v.BranchDaily, v.BranchMonthly);
        }
    }

    internal static LocalTime ParseTime(string key, string text)
    {
        var r = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text);
        if (!r.Success && text != "24:00") throw new SettingsException($"settings: {key}: '{text}' is not a time of day HH:mm");
        return r.Success ? r.Value : LocalTime.MaxValue;
    }

    private static void Hours(string key, WorkingHours h)
    {
        var start = ParseTime(key + ".start", h.Start);
        var end = ParseTime(key + ".end", h.End);
        if (end <= start) throw new SettingsException($"settings: {key}: end {h.End} must be after start {h.Start}");
    }

    private static void Zone(string key, string id)
    {
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is null)
            throw new SettingsException($"settings: {key}: '{id}' is not a time zone id (e.g. Asia/Shanghai)");
    }

    private static void Positive(string key, int value, bool allowZero = false)
    {
        if (value < 0 || (value == 0 && !allowZero)) throw new SettingsException($"settings: {key}: {value} must be {(allowZero ? "zero or more" : "more than zero")}");
    }

    private static void Volume(string key, params int?[] values)
    {
        string[] names = ["userDaily", "userMonthly", "branchDaily", "branchMonthly"];
        for (var i = 0; i < values.Length; i++)
            if (values[i] is <= 0) throw new SettingsException($"settings: {key}.{names[i]}: {values[i]} must be more than zero (leave it out to inherit)");
    }
}

/// <summary>A settings file that cannot be used; the message names the key.</summary>
public sealed class SettingsException(string message) : Exception(message);
