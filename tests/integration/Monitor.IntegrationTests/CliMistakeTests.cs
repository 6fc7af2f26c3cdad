using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// The mistakes users made with the CLI (issue 13, item 15), each run as they ran it: the answer is one line on
/// stderr naming the problem, exit code 2, never a stack trace or .NET's type names.
/// </summary>
public sealed class CliMistakeTests : IDisposable
{
    private const string Event = """{"eventId":"e1","type":"query","occurredAt":"2026-03-02T09:15:03.120+08:00","userId":"Q1","branchId":"B1","purpose":"self_query"}""";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("monitor-mistakes-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private string In(string name) => Path.Combine(_dir.FullName, name);

    /// <summary>Exit 2, exactly one stderr line, no stack frame, containing each of <paramref name="naming"/>.</summary>
    internal static void AssertOneLine((int Code, string Stderr) answer, params string[] naming)
    {
        var lines = answer.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(answer.Code == 2, $"exit {answer.Code}: {answer.Stderr}");
        Assert.True(lines.Length == 1, $"{lines.Length} lines: {answer.Stderr}");
        Assert.DoesNotContain("   at ", answer.Stderr);
        Assert.DoesNotContain("Exception", answer.Stderr);
        Assert.StartsWith("monitor: ", lines[0]);
        foreach (var n in naming) Assert.Contains(n, lines[0]);
    }

    private Task<(int, string)> Replay(params string[] more) =>
        Cli.Run(["replay", "--input", File("ok.jsonl", Event + "\n"), "--output", In("alerts.jsonl"), .. more]);

    [Fact]
    public async Task Report_mistakes_name_the_option_and_the_help_of_the_whole_verb()
    {
        AssertOneLine(await Cli.Run("report", "daily", "--store", In("missing.db"), "--branch", "SB0101", "--day", "2026-03-02", "--output", In("d.xlsx")), "--store", "missing.db");
        AssertOneLine(await Cli.Run("report", "daily", "--store", In("missing.db"), "--branch", "SB0101", "--day", "2026-3-2", "--output", In("d.xlsx")), "--day", "YYYY-MM-DD");
        AssertOneLine(await Cli.Run("report", "daily", "--format", "pdf"), "'pdf'", "./monitor report daily --help");
        AssertOneLine(await Cli.Run("report", "monthly", "--store", In("missing.db"), "--month", "2026-13", "--output", In("m.xlsx")), "--month", "2026-13");
    }

    [Fact]
    public async Task Replay_with_a_settings_file_that_does_not_exist_names_the_file()
    {
        AssertOneLine(await Replay("--settings", In("missing.json")), "--settings", "missing.json", "does not exist");
    }

    [Fact]
    public async Task A_settings_file_that_is_not_valid_json_gives_the_line_and_column()
    {
        var settings = File("syntax.json", "{\n  \"volume\": {\n    \"userDaily\": 100,\n  }\n  \"x\" 1\n}");
        AssertOneLine(await Replay("--settings", settings), "not valid JSON", "line 5, column");
    }

    [Fact]
    public async Task A_setting_of_the_wrong_type_names_the_key_and_the_kind_of_value_it_takes_not_dotnet_types()
    {
        var answer = await Replay("--settings", File("type.json", """{"volume": {"userDaily": "many"}}"""));
        AssertOneLine(answer, "volume.userDaily", "must be a whole number, or null", "line 1");
        Assert.DoesNotContain("System.", answer.Item2);
        Assert.DoesNotContain("Nullable", answer.Item2);
    }

    [Fact]
    public async Task A_misspelt_setting_is_named_as_unknown_without_dotnet_words()
    {
        var answer = await Replay("--settings", File("typo.json", """{"volume": {"userDialy": 100}}"""));
        AssertOneLine(answer, "volume.userDialy", "not a known setting");
        Assert.DoesNotContain(".NET", answer.Item2);
        Assert.DoesNotContain("VolumeThresholds", answer.Item2);
    }

    [Fact]
    public async Task A_branch_override_of_the_wrong_type_names_the_branch_key()
    {
        var answer = await Replay("--settings", File("branch.json", """{"branches": {"SB0101": {"volume": {"userDaily": true}}}}"""));
        AssertOneLine(answer, "branches.SB0101.volume.userDaily", "a whole number");
    }

    [Fact]
    public async Task A_calendar_file_that_is_not_a_calendar_is_refused_at_start_naming_the_key()
    {
        AssertOneLine(await Replay("--settings", File("calendar.json", """{"calendarFiles": ["/etc/passwd"]}""")), "calendarFiles[0]", "/etc/passwd", "not a holiday calendar");
    }

    [Fact]
    public async Task Replay_to_an_output_that_cannot_be_created_names_the_option()
    {
        AssertOneLine(await ReplayTo("/proc/x/alerts.jsonl"), "--output", "/proc/x");
        AssertOneLine(await ReplayTo("/proc/x"), "--output", "/proc/x");

        Task<(int, string)> ReplayTo(string output) => Cli.Run("replay", "--input", File("ok.jsonl", Event + "\n"), "--output", output);
    }

    [Fact]
    public async Task Replay_with_an_influx_address_that_is_not_a_url_names_the_option()
    {
        AssertOneLine(await Replay("--influx", "not-a-url"), "--influx", "not-a-url");
    }

    [Fact]
    public async Task Simulate_with_negative_days_is_refused()
    {
        AssertOneLine(await Cli.Run("simulate", "--days", "-1", "--output", In("e.jsonl"), "--labels", In("l.jsonl")), "--days", "-1");
    }

    [Fact]
    public async Task An_option_value_that_does_not_parse_is_one_line_with_where_help_is()
    {
        AssertOneLine(await Cli.Run("simulate", "--days", "abc", "--labels", In("l.jsonl")), "'abc'", "--days", "simulate --help");
    }

    [Fact]
    public async Task Evaluate_given_an_events_file_as_alerts_says_which_file_is_of_the_wrong_kind()
    {
        var events = File("events.jsonl", Event + "\n");
        AssertOneLine(await Cli.Run("evaluate", "--alerts", events, "--labels", events), "--alerts", "line 1 is not an alert revision");
    }

    [Fact]
    public async Task Evaluate_given_an_alerts_file_as_labels_says_so()
    {
        var alerts = File("alerts.jsonl", "");
        var (code, _) = await Cli.Run("replay", "--input", Path.Combine(AppContext.BaseDirectory, "fixtures", "handwritten", "events.jsonl"), "--output", alerts);
        Assert.Equal(0, code);
        AssertOneLine(await Cli.Run("evaluate", "--alerts", alerts, "--labels", alerts), "--labels", "line 1 is not an incident label");
    }

    [Fact]
    public async Task Evaluate_given_the_officers_labels_from_the_api_is_refused_in_one_line()
    {
        // GET /api/labels answers a JSON array of officers' verdicts; evaluate wants simulate's incident labels.
        var api = File("api-labels.json", """[{"alertId":"a1","rule":"OFF_HOURS","entityType":"user","entityId":"Q0205","verdict":"dismissed","reason":"overtime","by":"officer-wang","at":"2026-04-08T09:00:00+08:00"}]""");
        var alerts = File("empty.jsonl", "");
        AssertOneLine(await Cli.Run("evaluate", "--alerts", alerts, "--labels", api), "--labels", "not an incident label", "JSON array");
        var perLine = File("api-labels.jsonl", """{"alertId":"a1","rule":"OFF_HOURS","entityType":"user","entityId":"Q0205","verdict":"dismissed","reason":"overtime","by":"officer-wang","at":"2026-04-08T09:00:00+08:00"}""" + "\n");
        AssertOneLine(await Cli.Run("evaluate", "--alerts", alerts, "--labels", perLine), "--labels", "line 1 is not an incident label");
    }

    [Fact]
    public async Task Backtest_mistakes_name_the_option_and_the_file()
    {
        var events = File("events.jsonl", Event + "\n");
        var good = File("candidate.json", """{"volume":{"userDaily":60}}""");
        Task<(int, string)> Backtest(params string[] more) => Cli.Run(["backtest", "--events", events, "--candidate", good, "--output", In("bt.json"), .. more]);
        AssertOneLine(await Cli.Run("backtest", "--events", events, "--candidate", In("missing.json")), "--candidate", "missing.json", "does not exist");
        AssertOneLine(await Cli.Run("backtest", "--events", events, "--candidate", File("zero.json", """{"volume":{"userDaily":0}}""")), "--candidate", "zero.json", "volume.userDaily");
        AssertOneLine(await Backtest("--baseline", File("typo.json", """{"volume":{"userDialy":100}}""")), "--baseline", "typo.json", "volume.userDialy", "not a known setting");
        AssertOneLine(await Cli.Run("backtest", "--events", In("missing.jsonl"), "--candidate", good), "--events", "missing.jsonl", "does not exist");
        AssertOneLine(await Backtest("--store", In("missing.db")), "--store", "missing.db");
        AssertOneLine(await Cli.Run("backtest", "--events", events, "--candidate", good, "--output", "/proc/nope/bt.json"), "--output", "/proc/nope/bt.json");
        AssertOneLine(await Backtest("--chart", In("bt.json")), "--chart", "--output");
        AssertOneLine(await Cli.Run("backtest", "--candidate", good), "--events", "./monitor backtest --help");
        // A flight compared with live: its own options, not a replay's; its two sides from Kafka or from the three files.
        AssertOneLine(await Cli.Run("backtest", "--flight", "lower-volume", "--events", events), "--flight", "--events", "one or the other", "./monitor backtest --help");
        AssertOneLine(await Cli.Run("backtest", "--flight", "lower-volume"), "--kafka", "--live-alerts", "--flight-alerts", "./monitor backtest --help");
        AssertOneLine(await Cli.Run("backtest", "--flight", "lower-volume", "--live-alerts", events), "--live-commands is missing");
        AssertOneLine(await Cli.Run("backtest", "--from", "2026-03-02", "--events", events, "--candidate", good), "--from", "--flight");
        AssertOneLine(await Cli.Run("backtest", "--flight", "lower-volume", "--kafka", "127.0.0.1:1", "--to", "03/09"), "--to", "'03/09' is not a day");
        AssertOneLine(await Cli.Run("backtest", "--flight", "live", "--kafka", "127.0.0.1:1"), "--flight", "\"live\" names the settings in force");
        AssertOneLine(await Cli.Run("backtest", "--flight", "x", "--live-alerts", events, "--live-commands", events, "--flight-alerts", events), "--live-alerts", "events.jsonl line 1 is not an alert");
    }

    [Fact]
    public async Task Evaluate_without_labels_or_store_says_it_needs_one()
    {
        var alerts = File("none.jsonl", "");
        AssertOneLine(await Cli.Run("evaluate", "--alerts", alerts), "--labels", "--store");
        AssertOneLine(await Cli.Run("evaluate", "--alerts", alerts, "--store", In("missing.db")), "--store", "missing.db");
    }

    [Fact]
    public async Task Run_with_an_api_address_that_is_not_host_and_port_is_refused()
    {
        AssertOneLine(await Cli.Run("run", "--api", "somehost:notaport", "--store", In("s.db"), "--metrics-file", In("m.lp")), "--api", "somehost:notaport");
    }

    [Fact]
    public async Task Run_with_a_store_or_models_folder_that_cannot_be_written_is_refused_before_anything_starts()
    {
        AssertOneLine(await Cli.Run("run", "--api", "127.0.0.1:0", "--store", "/proc/x/monitor.db", "--metrics-file", In("m.lp")), "--store", "/proc/x/monitor.db");
        AssertOneLine(await Cli.Run("run", "--api", "127.0.0.1:0", "--store", In("s.db"), "--models", "/proc/x", "--metrics-file", In("m.lp")), "--models", "/proc/x");
    }

    [Fact]
    public async Task An_unknown_role_for_an_api_key_is_one_line_listing_the_roles()
    {
        AssertOneLine(await Cli.Run("api-key", "--name", "x", "--role", "boss"), "'boss'", "'officer' 'analyst' 'auditor'");
    }
}
