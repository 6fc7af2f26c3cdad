using System.Globalization;

namespace Monitor.Api;

/// <summary>Readiness by consumer lag (docs/api.md, "Readiness"; <c>api.readyMaxLag</c> in docs/settings.md).</summary>
public sealed partial class OfficerApi
{
    /// <summary>The reason <c>/ready</c> gives while the consumer is further behind than the settings allow; null when it is not (or consumes nothing).</summary>
    private string? LagReason()
    {
        if (_deps.Access().ReadyMaxLag is not { } max || _deps.ConsumerLag() is not { } lag || lag <= max) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"lag: the consumer is {lag:N0} messages behind the end of its partitions, more than api.readyMaxLag ({max:N0}); alerts come late until it catches up");
    }
}
