using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Monitor.Contracts;

namespace Monitor.Api;

/// <summary>
/// Every time the API answers with is in one zone, the bank's (the settings' <c>timeZone</c>, Asia/Shanghai by
/// default), as ISO-8601 with its offset: <c>2026-03-02T16:00:00+08:00</c>. The store keeps times in UTC and events
/// carry the offset their source gave them; without this an officer would read an alert's event time in +08:00 and
/// its acknowledgement in UTC side by side. The instant is unchanged, only the offset it is written with.
/// </summary>
public sealed class BankTime(Func<string> zoneId)
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    /// <summary>The bank's zone now (the settings are reloaded while the monitor runs).</summary>
    public TimeZoneInfo Zone => Zones.GetOrAdd(zoneId(), TimeZoneInfo.FindSystemTimeZoneById);

    /// <summary>The same instant written in the bank's zone.</summary>
    public DateTimeOffset Of(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, Zone);

    /// <summary>Today's date in the bank's zone.</summary>
    public DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(Of(now).DateTime);

    /// <summary>An event in the contract's shape (enum names, no internal fields), its times in the bank's zone.</summary>
    public JsonElement Event(QueryLogEvent e)
    {
        var local = e with
        {
            OccurredAt = Of(e.OccurredAt),
            AuthorizedAt = e.AuthorizedAt is { } a ? Of(a) : null,
            ApprovedAt = e.ApprovedAt is { } ap ? Of(ap) : null,
            EffectiveAt = e.EffectiveAt is { } ef ? Of(ef) : null,
        };
        return JsonDocument.Parse(EventJson.Serialize(local)).RootElement.Clone();
    }

    /// <summary>The converter the API's JSON answers write every <see cref="DateTimeOffset"/> with.</summary>
    public JsonConverter<DateTimeOffset> Converter => new Writer(this);

    private sealed class Writer(BankTime bank) : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(bank.Of(value).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
    }
}
