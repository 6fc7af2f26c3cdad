using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Monitor.Ingest;
using Monitor.Testing;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// <c>./monitor run</c> as an operator runs it (the mock cluster, a store and settings in a temporary folder):
/// the API's address (issue 13, item 10), stopping it with Ctrl+C or SIGTERM (item 15), and a settings edit
/// that does not load while a key is being revoked (item 6).
/// </summary>
public sealed class RunServiceTests : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("monitor-run-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http.Dispose();
        _dir.Delete(recursive: true);
    }

    private string[] Args(string api, params string[] more) =>
        ["run", "--api", api, "--store", Path.Combine(_dir.FullName, "monitor.db"), "--metrics-file", Path.Combine(_dir.FullName, "metrics.lp"),
         "--models", Path.Combine(_dir.FullName, "models"), .. more];

    private static async Task<CliProcess> Started(string[] args)
    {
        var run = CliProcess.Start(args);
        var ready = await run.WaitForLine(l => l.StartsWith("consuming ", StringComparison.Ordinal), Startup);
        Assert.True(ready is not null, "run did not start: " + string.Join("\n", run.Stderr));
        return run;
    }

    [Fact]
    public async Task Run_refuses_an_api_port_another_program_holds_in_one_line_instead_of_moving()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        CliMistakeTests.AssertOneLine(await Cli.Run(Args($"127.0.0.1:{port}")), "--api", $"127.0.0.1:{port} is taken");
        CliMistakeTests.AssertOneLine(await Cli.Run(Args(port.ToString(System.Globalization.CultureInfo.InvariantCulture))), $"127.0.0.1:{port} is taken");
    }

    [Fact]
    public async Task Only_the_demo_moves_from_a_taken_api_port_and_it_says_where_it_went()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        await using var demo = CliProcess.Start("demo", "--days", "1", "--rate", "0", "--plain", "--out", Path.Combine(_dir.FullName, "demo"),
            "--api", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var moved = await demo.WaitForLine(l => l.Contains("officers' API listens on", StringComparison.Ordinal), Startup, stdout: true);
        Assert.NotNull(moved);
        Assert.Matches($@"^127\.0\.0\.1:{port} is taken; the demo's officers' API listens on 127\.0\.0\.1:\d+", moved);
        var at = await demo.WaitForLine(l => l.StartsWith("officers' API at ", StringComparison.Ordinal), Startup, stdout: true);
        Assert.NotNull(at);
        Assert.DoesNotContain($":{port}/", at);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(new Uri(at["officers' API at ".Length..].Split(' ')[0]), "health"))).StatusCode);
    }

    [Fact]
    public async Task The_demos_closing_hint_is_a_replay_command_that_works_as_printed_from_where_the_demo_ran()
    {
        var here = Directory.CreateDirectory(Path.Combine(_dir.FullName, "here")).FullName;
        await using var demo = CliProcess.StartIn(here, "demo", "--days", "1", "--rate", "0", "--plain", "--out", Path.Combine("out", "demo"), "--api", "127.0.0.1:0");
        Assert.Equal(0, await demo.WaitForExit(TimeSpan.FromMinutes(3)));
        // The command may be broken over lines with a \ at the terminal's width: read it as one text.
        var text = string.Join(" ", demo.Stdout);
        var hint = System.Text.RegularExpressions.Regex.Match(text, @"replay them with:\s+\./monitor\s+replay\s+--input\s+(\S+)[\s\\]+--output\s+(\S+)");
        Assert.True(hint.Success, text);
        await using var replay = CliProcess.StartIn(here, "replay", "--input", hint.Groups[1].Value, "--output", hint.Groups[2].Value);
        Assert.True(await replay.WaitForExit(TimeSpan.FromMinutes(2)) == 0, replay.Transcript);
        Assert.True(File.Exists(Path.Combine(here, hint.Groups[2].Value)));
        Assert.Matches(@"replayed [1-9]\d* events", replay.Transcript); // the demo's own events, found where the hint said
    }

    [Fact]
    public async Task Run_with_a_port_alone_serves_on_loopback_at_that_port_and_sigterm_prints_the_stop_summary()
    {
        var port = Ports.Free();
        await using var run = await Started(Args(port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(run.Stderr, l => l.Contains($"officers' API at http://127.0.0.1:{port}/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode);

        await run.Signal("TERM");
        Assert.Equal(0, await run.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains(run.Stderr, l => l.StartsWith("stopped after 0 events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_with_localhost_and_a_port_serves_on_loopback()
    {
        var port = Ports.Free();
        await using var run = await Started(Args($"localhost:{port}"));
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode);
    }

    [Fact]
    public async Task Two_ctrl_c_arriving_together_stop_run_once_with_the_summary_and_no_stack_trace()
    {
        await using var run = await Started(Args($"127.0.0.1:{Ports.Free()}"));
        await run.Signal("INT", times: 2);
        Assert.Equal(0, await run.WaitForExit(TimeSpan.FromSeconds(60)));
        var stderr = string.Join("\n", run.Stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Exception", stderr);
        Assert.Single(run.Stderr, l => l.StartsWith("stopped after 0 events (0 alert revisions, 0 commands, 0 dead letters)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_settings_edit_that_does_not_load_is_reported_and_a_later_edit_still_revokes_an_officers_key()
    {
        var (code, made, _) = await Cli.Output("api-key", "--name", "officer-wang", "--role", "officer");
        Assert.Equal(0, code);
        var key = made.Split('\n')[0].Split(": ")[^1].Trim();
        var entry = made.Split('\n')[1].Split("settings entry for api.keys: ")[1].Trim();
        var settings = Path.Combine(_dir.FullName, "settings.json");
        await File.WriteAllTextAsync(settings, $$"""{ "api": { "keys": [ {{entry}} ] } }""");
        var port = Ports.Free();
        await using var run = await Started(Args($"127.0.0.1:{port}", "--settings", settings));
        Assert.Equal(HttpStatusCode.OK, await Alerts());

        // The edit found in the field: a calendar file that is no calendar. Refused, named, the last good settings stay.
        await File.WriteAllTextAsync(settings, $$"""{ "calendarFiles": ["/etc/passwd"], "api": { "keys": [ {{entry}} ] } }""");
        var refused = await run.WaitForLine(l => l.StartsWith("settings refused", StringComparison.Ordinal), SettingsWatcher.Interval * 5);
        Assert.NotNull(refused);
        Assert.Contains("calendarFiles[0]", refused);
        Assert.Contains("/etc/passwd is not a holiday calendar", refused);
        Assert.Equal(HttpStatusCode.OK, await Alerts());

        // The revocation saved afterwards is read, and the key is refused within the reload interval (plus slack for a busy machine).
        await File.WriteAllTextAsync(settings, """{ "api": { "keys": [] } }""");
        var saved = System.Diagnostics.Stopwatch.StartNew();
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && saved.Elapsed < SettingsWatcher.Interval + TimeSpan.FromSeconds(3))
        {
            await Task.Delay(200);
            status = await Alerts();
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains(run.Stderr, l => l.StartsWith("settings reloaded", StringComparison.Ordinal));

        async Task<HttpStatusCode> Alerts()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/api/alerts");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await _http.SendAsync(request);
            return response.StatusCode;
        }
    }
}
