using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Monitor.Contracts;
using Monitor.Store;
using Monitor.Testing;
using Xunit;

namespace Monitor.Api.Tests;

/// <summary>
/// The officers' API on a free loopback port over a SQLite store holding an admin's suspension (with its alert)
/// and an off-hours alert, with one key per role. Commands the API sends and branches it reopens are collected.
/// </summary>
public sealed class ApiHost : IAsyncLifetime
{
    public const string OfficerKey = "mk_test-officer-key";
    public const string AnalystKey = "mk_test-analyst-key";
    public const string AuditorKey = "mk_test-auditor-key";
    /// <summary>An officer of branch SB0102 only (the seeded alerts and suspension are SB0101's).</summary>
    public const string BranchOfficerKey = "mk_test-sb0102-officer-key";

    private readonly string _dir = Directory.CreateTempSubdirectory("monitor-api-").FullName;
    private OfficerApi? _api;

    public FixedClock Clock { get; } = new(Ev.At(2026, 3, 2, 16));
    public List<PermissionCommand> Sent { get; } = [];
    public List<string> Reopened { get; } = [];
    /// <summary>What /ready answers from: no condition means ready.</summary>
    public ReadinessState Readiness { get; } = new();

    /// <summary>The pipeline runs, or the readiness condition "pipeline" says it stopped.</summary>
    public bool Running
    {
        get => !Readiness.Has("pipeline");
        set
        {
            if (value) Readiness.Clear("pipeline");
            else Readiness.Set("pipeline", "stopped");
        }
    }
    public AlertStore Store { get; private set; } = null!;
    public RecentEvents Events { get; } = new();

    /// <summary>How often the API said the store's suppressions changed (the host puts them in force then).</summary>
    public int SuppressionChanges { get; private set; }
    public HttpClient Http { get; private set; } = null!;

    /// <summary>What the consumer's lag is said to be (null: this node consumes nothing).</summary>
    public long? Lag { get; set; }

    /// <summary><c>api.readyMaxLag</c> in the settings the API reads.</summary>
    public long? ReadyMaxLag { get; set; } = 100_000;

    public async Task InitializeAsync()
    {
        Store = await AlertStore.OpenAsync(Path.Combine(_dir, "monitor.db"), Clock);
        var settings = new ShownSettings
        {
            Api = new ApiSettings
            {
                Keys =
                [
                    new ApiKey { Name = "officer-wang", Role = "officer", Sha256 = ApiKeys.Hash(OfficerKey) },
                    new ApiKey { Name = "analyst-li", Role = "analyst", Sha256 = ApiKeys.Hash(AnalystKey) },
                    new ApiKey { Name = "auditor-zhao", Role = "auditor", Sha256 = ApiKeys.Hash(AuditorKey) },
                    new ApiKey { Name = "officer-sun", Role = "officer", Sha256 = ApiKeys.Hash(BranchOfficerKey), Branch = "SB0102" },
                ],
            },
        };
        _api = await OfficerApi.StartAsync(new ApiDependencies(Store, () => settings.Api with { ReadyMaxLag = ReadyMaxLag }, () => settings, Events,
            c => { Sent.Add(c); return Task.CompletedTask; }, Reopened.Add, Readiness)
        {
            ConsumerLag = () => Lag,
            SuppressionsChanged = () =>
            {
                SuppressionChanges++;
                return Task.CompletedTask;
            },
        }, "127.0.0.1:0");
        Http = new HttpClient { BaseAddress = _api.Address };
    }

    /// <summary>Fills the store as the pipeline would: an admin's critical alert and its suspension, an off-hours alert, a valve-shut branch.</summary>
    public async Task<(Alert Admin, Alert OffHours, PermissionCommand Suspend)> SeedAsync()
    {
        var admin = Alert("al-admin", "UA0101", "ADMIN_QUERY", "critical", 80);
        var offHours = Alert("al-off", "Q440100", "OFF_HOURS", "medium", 45);
        var suspend = new PermissionCommand
        {
            CommandId = StableId.Of("cmd", "suspend", "UA0101", admin.AlertId), Action = "suspend", UserId = "UA0101", BranchId = "SB0101",
            Reason = "ADMIN_QUERY (critical, score 80)", AlertIds = [admin.AlertId], IssuedAt = admin.EventTime,
        };
        await Store.RecordAsync([admin, offHours], [suspend], ["SB0102"]);
        await Store.MarkSentAsync([suspend.CommandId]);
        Events.Add([Ev.Query(user: "UA0101", role: UserRole.UserAdmin, id: "ev-admin-1")]);
        return (admin, offHours, suspend);
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? key, string? body = null)
    {
        var r = new HttpRequestMessage(method, path);
        if (key is not null) r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) r.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return r;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_api is not null) await _api.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static Alert Alert(string id, string user, string rule, string severity, int score) => new()
    {
        AlertId = id, Revision = 1, Rule = rule, EntityType = "user", EntityId = user, UserId = user, BranchId = "SB0101",
        Severity = severity, Score = score, Day = "2026-03-02", EventTime = Ev.Monday10, LastEventTime = Ev.Monday10, Count = 1,
        Explanation = $"{rule} by {user}", Evidence = ["ev-1"],
    };
}

/// <summary>Settings as the API is given them to show analysts: any shape, with the <c>api</c> section among them.</summary>
internal sealed record ShownSettings
{
    [System.Text.Json.Serialization.JsonPropertyName("suspension")] public IReadOnlyDictionary<string, int> Suspension { get; init; } = new Dictionary<string, int> { ["maxPerBranchPerHour"] = 5 };
    [System.Text.Json.Serialization.JsonPropertyName("api")] public ApiSettings Api { get; init; } = new();
}
