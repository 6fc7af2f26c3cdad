using System.Text.Json;
using System.Text.Json.Nodes;
using Monitor.Contracts;
using NodaTime;

namespace Monitor.Detectors.Settings;

/// <summary>The effective settings of one branch after overrides and inheritance, resolved once, with times parsed.</summary>
public sealed class BranchPolicy
{
    private readonly Dictionary<Channel, (LocalTime Start, LocalTime End)> _channelHours = [];
    private readonly HashSet<Channel> _exempt = [];

    public BranchPolicy(RuleSettings rules)
    {
        Rules = rules;
        Zone = DateTimeZoneProviders.Tzdb[rules.TimeZone];
        WorkStart = SettingsLoader.ParseTime("workingHours.start", rules.WorkingHours.Start);
        WorkEnd = SettingsLoader.ParseTime("workingHours.end", rules.WorkingHours.End);
        foreach (var (name, h) in rules.WorkingHours.Channels)
            if (WireNames.TryParse<Channel>(name, out var ch))
                _channelHours[ch] = (SettingsLoader.ParseTime("start", h.Start), SettingsLoader.ParseTime("end", h.End));
        foreach (var name in rules.OffHours.ExemptChannels)
            if (WireNames.TryParse<Channel>(name, out var ch)) _exempt.Add(ch);
        KioskStart = SettingsLoader.ParseTime("kiosk.start", rules.Kiosk.Start);
        KioskEnd = SettingsLoader.ParseTime("kiosk.end", rules.Kiosk.End);
    }

    public RuleSettings Rules { get; }
    public DateTimeZone Zone { get; }
    public LocalTime WorkStart { get; }
    public LocalTime WorkEnd { get; }
    public LocalTime KioskStart { get; }
    public LocalTime KioskEnd { get; }
    public VolumeThresholds Volume => Rules.Volume;

    public bool IsOffHoursExempt(Channel? channel) => channel is { } c && _exempt.Contains(c);

    /// <summary>Working hours for a channel: its own when the settings give it some, else the branch's.</summary>
    public (LocalTime Start, LocalTime End) HoursFor(Channel? channel) =>
        channel is { } c && _channelHours.TryGetValue(c, out var h) ? h : (WorkStart, WorkEnd);
}

/// <summary>
/// Resolves <see cref="BranchPolicy"/> per branch: the defaults, then the parent's entry, then the branch's own,
/// merged key by key. The parent is the one the events name. Shared by every entity actor, so concurrent.
/// </summary>
public sealed class BranchPolicies(DetectionSettings settings)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Branch, string? Parent), BranchPolicy> _cache = new();
    private readonly JsonObject _defaults = DefaultsNode(settings);
    private readonly BranchPolicy _default = new(settings);

    public DetectionSettings Settings => settings;

    public BranchPolicy For(string branchId, string? parentBranchId)
    {
        if (settings.Branches.Count == 0) return _default;
        // Keyed by the parent too: a branch first seen without its parent must not hide the parent's entry later.
        if (_cache.TryGetValue((branchId, parentBranchId), out var cached)) return cached;
        settings.Branches.TryGetValue(branchId, out var own);
        JsonObject? parent = null;
        if (parentBranchId is not null) settings.Branches.TryGetValue(parentBranchId, out parent);
        var policy = own is null && parent is null ? _default : new BranchPolicy(Resolve(_defaults, parent, own));
        return _cache.GetOrAdd((branchId, parentBranchId), policy);
    }

    /// <summary>The defaults' rule keys as JSON, the base every branch entry is merged onto.</summary>
    /// <remarks>Serialized as <see cref="RuleSettings"/>, the declared type, so the pipeline-wide keys of a <see cref="DetectionSettings"/> stay out.</remarks>
    internal static JsonObject DefaultsNode(RuleSettings settings) =>
        JsonSerializer.SerializeToNode<RuleSettings>(settings, SettingsLoader.Options)!.AsObject();

    internal static RuleSettings Resolve(JsonObject defaults, params JsonObject?[] layers)
    {
        var merged = (JsonObject)defaults.DeepClone();
        foreach (var layer in layers)
            if (layer is not null) Merge(merged, layer);
        return merged.Deserialize<RuleSettings>(SettingsLoader.Options)!;
    }

    private static void Merge(JsonObject into, JsonObject layer)
    {
        foreach (var (key, value) in layer)
        {
            if (value is JsonObject child && into[key] is JsonObject existing) Merge(existing, child);
            else into[key] = value?.DeepClone();
        }
    }
}
