using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Monitor.Api;
using Monitor.Contracts;
using Monitor.Detectors.Settings;
using Monitor.Store;
using Xunit;

namespace Monitor.IntegrationTests.Console;

/// <summary>
/// A simulated week of a bank, replayed into an alert store as a user does it (<c>./monitor simulate</c>, then
/// <c>./monitor replay --store --settings</c>), with the officers' API and its console served over it, and Debian's
/// Chromium to drive the console. The settings make the branch spike suspend (any alert scoring 70) and the safety valve
/// close after one suspension an hour, so the store holds what the console's pages work on: a branch spike's many alerts,
/// suspensions, and branches the valve stopped. A candidate's alerts come from a second replay under looser volume
/// thresholds. The API keeps every event of the week in memory (the running monitor keeps each user's latest), so that
/// alerts show their evidence. Commands the API sends and branches it reopens are collected.
/// </summary>
public sealed class ConsoleBank : IAsyncLifetime
{
    public const string OfficerKey = "mk_console_officer_wang";
    public const string OtherOfficerKey = "mk_console_officer_li";
    public const string AnalystKey = "mk_console_analyst_chen";
    public const string AuditorKey = "mk_console_auditor_zhao";
    public const string Incidents = "branch_volume_spike=1,admin_query=2,off_hours=2,no_authorization=2,volume_spike=1";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("console");
    private IPlaywright? _playwright;

    public AlertStore Store { get; private set; } = null!;
    public OfficerApi Api { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string CandidateAlerts { get; private set; } = "";
    public List<QueryLogEvent> Events { get; } = [];
    public List<PermissionCommand> Sent { get; } = [];
    public List<string> Reopened { get; } = [];

    public async Task InitializeAsync()
    {
        var settingsFile = Path.Combine(_dir.FullName, "settings.json");
        await File.WriteAllTextAsync(settingsFile, """{ "suspension": { "minScore": 70, "valvePerBranchPerHour": 1 } }""");
        var (events, _, store) = await SimulatedStore.ReplayAsync(_dir, days: 7, seed: 5, Incidents, settings: settingsFile, names: true);
        var candidateFile = Path.Combine(_dir.FullName, "candidate.json");
        await File.WriteAllTextAsync(candidateFile, """{ "volume": { "userDaily": 40 } }""");
        CandidateAlerts = Path.Combine(_dir.FullName, "candidate-alerts.jsonl");
        var (code, err) = await Cli.Run("replay", "--input", events, "--output", CandidateAlerts, "--settings", candidateFile);
        Assert.True(code == 0, err);

        foreach (var line in await File.ReadAllLinesAsync(events))
            if (EventJson.TryParse(line, out var e, out _)) Events.Add(e!);
        var recent = new RecentEvents(perUser: 10_000);
        recent.Add(Events);
        Store = await AlertStore.OpenAsync(store, TimeProvider.System);
        var settings = new DetectionSettings
        {
            Api = new ApiSettings
            {
                Keys =
                [
                    new ApiKey { Name = "officer-wang", Role = "officer", Sha256 = ApiKeys.Hash(OfficerKey) },
                    new ApiKey { Name = "officer-li", Role = "officer", Sha256 = ApiKeys.Hash(OtherOfficerKey) },
                    new ApiKey { Name = "analyst-chen", Role = "analyst", Sha256 = ApiKeys.Hash(AnalystKey) },
                    new ApiKey { Name = "auditor-zhao", Role = "auditor", Sha256 = ApiKeys.Hash(AuditorKey) },
                ],
            },
        };
        Api = await OfficerApi.StartAsync(new ApiDependencies(Store, () => settings.Api, () => settings, recent, c =>
        {
            lock (Sent) Sent.Add(c);
            return Task.CompletedTask;
        }, b =>
        {
            lock (Reopened) Reopened.Add(b);
        }, new ReadinessState()), "127.0.0.1:0");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(IntegrationTests.Browser.Options());
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Api.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    /// <summary>
    /// A page at 1366×768 in a browser whose own zone is London and whose language is English: what the console shows
    /// in the bank's zone and in Chinese, it shows because it chose to, not because the machine was set so.
    /// </summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            TimezoneId = "Europe/London",
            Locale = "en-GB",
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>Opens the console at <c>/</c> and signs in with <paramref name="key"/> as a person would.</summary>
    public async Task<IPage> SignInAsync(string key)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Api.Address.ToString());
        await page.WaitForSelectorAsync("#key");
        await page.FillAsync("#key", key);
        await ConsoleCollection.Rendered(page, () => page.ClickAsync("#signin button[type=submit]"));
        return page;
    }

    /// <summary>The cases the store's alerts make, by the rule the console groups by (<see cref="AlertCases"/>).</summary>
    public async Task<List<AlertCase>> CasesAsync(string? state = null)
    {
        var (alerts, _) = await Store.QueueAlertsAsync(new AlertFilter { State = state });
        return AlertCases.Group(alerts, await Store.BranchAlertDaysAsync([.. alerts.Select(a => a.Alert.Day).Distinct()]));
    }

    /// <summary>Saves a screenshot of the page as it is (.test-results/screenshots/console-<paramref name="name"/>.png).</summary>
    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = IntegrationTests.Browser.Screenshot($"console-{name}.png"), FullPage = fullPage });

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
