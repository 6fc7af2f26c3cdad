using Monitor.Contracts;
using Monitor.Store;

namespace Monitor.Api;

/// <summary>
/// What the API needs from the running monitor: the store, its own settings in force (<paramref name="Access"/>:
/// keys are read afresh on every request, so a reload takes effect at once), the detection settings as analysts
/// see them (<paramref name="Shown"/>, serialized as they are; the API does not know the detectors), recent events, a way to send an officer's command now, a way to reopen a branch in the detection
/// graph, and why the monitor is not ready, if it is not (<see cref="ReadinessState"/>: the pipeline stopped,
/// Kafka unreachable, the store refusing writes).
/// </summary>
public sealed record ApiDependencies(
    AlertStore Store,
    Func<ApiSettings> Access,
    Func<object> Shown,
    RecentEvents Events,
    Func<PermissionCommand, Task> Send,
    Action<string> Reopen,
    ReadinessState Readiness)
{
    /// <summary>The clock of "today" for the API's defaults (the sheets listed by default are those of the last 31 days).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The bank's time zone (the settings' <c>timeZone</c>), in which reports show times.</summary>
    public Func<string> TimeZone { get; init; } = () => "Asia/Shanghai";

    /// <summary>
    /// When a day's sheet had to be signed (the settings' <c>dailySheet.signBy</c> on the next working day of their
    /// calendar); the reports judge lateness by it. The default, for hosts without a calendar: noon of the next day.
    /// </summary>
    public Func<DateOnly, DateTimeOffset> SheetDue { get; init; } = day => new DateTimeOffset(day.AddDays(1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));

    /// <summary>
    /// Told after an analyst made or ended a suppression (the store has it): the host puts the store's suppressions in
    /// force for the detectors before the API answers, so a finding right after the answer is judged by them.
    /// </summary>
    public Func<Task> SuppressionsChanged { get; init; } = () => Task.CompletedTask;

    /// <summary>
    /// How many messages the consumer is behind the end of its partitions, summed (as of its last check); null while
    /// this node consumes nothing. <c>/ready</c> compares it with <see cref="ApiSettings.ReadyMaxLag"/>.
    /// </summary>
    public Func<long?> ConsumerLag { get; init; } = () => null;
}
