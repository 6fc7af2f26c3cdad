using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Monitor.Cli.Commands;
using Monitor.Contracts;
using Monitor.Ingest;
using Spectre.Console;
using Xunit;

namespace Monitor.IntegrationTests;

/// <summary>
/// The demo as a newcomer meets it (issue 19, part 6): <c>./monitor demo</c> in a terminal of 80×24 draws a live
/// view that fits it (nothing wrapped, redrawn in place), ends on a screen that still shows the API keys, the
/// officers' console's address and a replay command that works as printed from where the user stands; the view fits
/// other sizes too, and the script says it is building before a build instead of a silent minute. The view is in
/// Chinese unless <c>--lang en</c> asks otherwise (issue 17): the alerts' Chinese explanations, Chinese labels, every
/// Chinese character counted at two columns.
/// </summary>
public sealed partial class DemoTerminalTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("monitor-demo-tty-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task The_demo_in_an_80x24_terminal_fits_it_and_its_last_screen_has_the_keys_and_a_replay_command_that_works_as_printed()
    {
        // Started from a folder of the user's own, by the script's full path: the hint must work from there.
        var here = Directory.CreateDirectory(Path.Combine(_dir.FullName, "here")).FullName;
        var script = Path.Combine(Cli.Root, "monitor");
        await using var terminal = PseudoTerminal.Start(here, 80, 24,
            $"{Shell.Quote(script)} demo --days 2 --rate 1000 --out out/demo --api 127.0.0.1:0 --serve");
        Assert.True(await terminal.WaitFor(o => o.Contains("until Ctrl+C", StringComparison.Ordinal), TimeSpan.FromMinutes(4)), terminal.Received);
        var received = terminal.Received;
        var screen = new VirtualTerminal(80, 24).Write(received);
        var written = VirtualTerminal.WrittenLines(received).ToList();

        // The live view was drawn (not the plain lines a pipe gets), in Chinese, with alerts in it explained in Chinese,
        // and redrawn in place: moving up at most 21 rows, so no taller than 22.
        Assert.Contains(written, l => l.StartsWith("── 最新告警", StringComparison.Ordinal));
        Assert.Contains(written, l => l.Contains("│ 进度", StringComparison.Ordinal));
        var rows = written.Where(l => ChineseSeverityRow().IsMatch(l)).ToList();
        Assert.NotEmpty(rows);
        Assert.Contains(rows, l => Han().IsMatch(ChineseSeverityRow().Replace(l, ""))); // an explanation in Chinese after the rule id
        Assert.DoesNotContain(written, l => SeverityRow().IsMatch(l));
        Assert.InRange(screen.MaxCursorUp + 1, 10, 22);
        // Nothing reached past the 80th column: no line the terminal had to wrap, none written wider.
        Assert.True(screen.Wrapped.Count == 0, "wrapped by the terminal:\n" + string.Join("\n", screen.Wrapped));
        var wide = written.Where(l => VirtualTerminal.Width(l) > 80).ToList();
        Assert.True(wide.Count == 0, "wider than 80 columns:\n" + string.Join("\n", wide));

        // The last screen: the keys with a curl line to try them, the console's and the API's address, the replay command.
        var last = screen.Screen;
        var shown = string.Join("\n", last);
        var keys = new Dictionary<string, string>();
        foreach (var role in new[] { "officer", "analyst", "auditor" })
        {
            var line = last.FirstOrDefault(l => Regex.IsMatch(l, $@"^  {role} +mk_\S+$"));
            Assert.True(line is not null, $"no {role} key on the last screen:\n{shown}");
            keys[role] = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        }
        var curl = last.Select(l => CurlLine().Match(l)).FirstOrDefault(m => m.Success);
        Assert.True(curl is not null, shown);
        Assert.Contains(last, l => l.Contains($"The officers' API stays up at {curl.Groups[1].Value} until Ctrl+C", StringComparison.Ordinal));
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(curl.Groups[1].Value), "api/alerts")))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys["officer"]);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the key shown at the end is the key in force
            // The console's address, to open in a browser and sign in to with the officer's key: it serves the console.
            Assert.Contains(last, l => l == $"  console  {curl.Groups[1].Value}  (a browser; sign in with the officer key)");
            using var console = await http.GetAsync(curl.Groups[1].Value);
            Assert.Equal(HttpStatusCode.OK, console.StatusCode);
            Assert.Contains("<script type=\"module\" src=\"/console/app.js\">", await console.Content.ReadAsStringAsync());
        }
        var at = last.ToList().FindIndex(l => l.Contains("replay them with:", StringComparison.Ordinal));
        Assert.True(at >= 0, shown);
        var command = new List<string>();
        for (var i = at + 1; i < last.Count; i++)
        {
            command.Add(last[i]);
            if (!last[i].EndsWith(" \\", StringComparison.Ordinal)) break;
        }
        var replayCommand = string.Join("\n", command);
        Assert.StartsWith($"  {Shell.Quote(script)} replay --input ", replayCommand); // the script as it was called

        // Ctrl+C, typed into the terminal, stops the demo cleanly.
        await terminal.Type("\u0003");
        Assert.Equal(0, await terminal.WaitForExit(TimeSpan.FromMinutes(1)));

        // The command, as printed, pasted into a shell in the same folder: it replays the demo's events...
        var (code, output) = await Bash(here, replayCommand);
        Assert.True(code == 0, output);
        Assert.Matches(@"replayed [1-9]\d* events", output);
        var alerts = Path.Combine(here, "alerts.jsonl");
        Assert.True(File.Exists(alerts), output);
        // ...and finds the incidents the demo found.
        var found = written.Last(l => l.StartsWith("incidents detected: ", StringComparison.Ordinal));
        Assert.Matches(@"^incidents detected: ([1-9]\d*) of \1$", found);
        var (evaluated, report, _) = await Cli.Output("evaluate", "--alerts", alerts, "--labels", Path.Combine(here, "out", "demo", "labels.jsonl"));
        Assert.Equal(0, evaluated);
        Assert.Contains(found, report.Split('\n'));
    }

    /// <summary>
    /// What the test above relies on: the virtual terminal catches a line that runs past the right edge, counting a
    /// Chinese character as two columns, and a line of exactly the width is not wrapped.
    /// </summary>
    [Fact]
    public void The_terminal_check_catches_a_view_wider_than_the_terminal_counting_chinese_characters_as_two_columns()
    {
        var exact = new VirtualTerminal(80, 24).Write(new string('─', 80) + "\r\n" + new string('中', 40) + "\r\n");
        Assert.Empty(exact.Wrapped);
        Assert.Equal(new string('中', 40), exact.Screen[1]);

        var hundred = new VirtualTerminal(80, 24).Write("\u001b[1m" + new string('x', 100) + "\u001b[0m\r\n");
        Assert.Single(hundred.Wrapped);
        Assert.Equal(new string('x', 20), hundred.Screen[1]);
        Assert.Equal(100, VirtualTerminal.WrittenLines(new string('x', 100)).Max(VirtualTerminal.Width));

        var chinese = "窗口查询用户只能在查询专机上查询征信报告：" + new string('x', 40); // 21 wide characters and 40 narrow: 82 columns
        Assert.Equal(82, VirtualTerminal.Width(chinese));
        Assert.Single(new VirtualTerminal(80, 24).Write(chinese + "\r\n").Wrapped);

        // A redraw in place: up to the first row of the view and over it.
        var redraw = new VirtualTerminal(80, 24).Write("a\r\nb\r\nc\r\u001b[2Ad\r\ne\r\nf\r\n");
        Assert.Equal(2, redraw.MaxCursorUp);
        Assert.Equal(["d", "e", "f"], redraw.Screen.Take(3));
    }

    public static TheoryData<int, int, string> Sizes
    {
        get
        {
            var sizes = new TheoryData<int, int, string>();
            foreach (var lang in new[] { "zh-CN", "en" })
                foreach (var (w, h) in new[] { (80, 24), (60, 20), (100, 30), (132, 43), (DemoView.MinWidth, DemoView.MinRows + 2) })
                    sizes.Add(w, h, lang);
            return sizes;
        }
    }

    /// <summary>
    /// The live view drawn for a terminal of each size, in each language, busy (every rule, long explanations, many
    /// suspensions, large counts): no line wider than the terminal, two rows fewer than it has; the Chinese view shows
    /// the alerts' Chinese explanations and the commands' Chinese reasons, the English view the English ones.
    /// </summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public void The_live_view_fits_the_terminal_it_is_drawn_for_whatever_it_shows(int width, int height, string lang)
    {
        var chinese = lang == "zh-CN";
        var view = Busy(DemoTexts.Of(lang));
        var written = Draw(view.Render(12_345_678, 12, 104_321, width, height), width);
        var lines = VirtualTerminal.WrittenLines(written).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var wide = lines.Where(l => VirtualTerminal.Width(l) > width).ToList();
        Assert.True(wide.Count == 0, $"wider than {width}:\n" + string.Join("\n", wide));
        Assert.True(lines.Count <= height - 2, $"{lines.Count} rows for a terminal of {height}:\n" + string.Join("\n", lines));
        Assert.Empty(new VirtualTerminal(width, height).Write(written.Replace("\n", "\r\n", StringComparison.Ordinal)).Wrapped);

        // What it shows: the newest alert first, its explanation in the view's language cut with "…" where it runs out of room.
        var newest = lines.First(l => (chinese ? ChineseSeverityRow() : SeverityRow()).IsMatch(l));
        Assert.Contains("WINDOW_TERMINAL", newest);
        Assert.EndsWith("…", newest);
        if (width >= 60) // narrower, the rule ids leave the explanation no room
        {
            Assert.Equal(chinese, newest.Contains("窗口查询用户", StringComparison.Ordinal));
            Assert.Equal(!chinese, newest.Contains("window-query user", StringComparison.Ordinal));
        }
        // The newest suspension, with its reason in the view's language.
        var suspension = lines.First(l => l.StartsWith(chinese ? "QO000019（SB0301）：" : "QO000019 at SB0301: ", StringComparison.Ordinal));
        Assert.Equal(chinese, Han().IsMatch(suspension));
        // The entity column, from 100 columns.
        Assert.Equal(width >= 100, Regex.IsMatch(newest, chinese ? "WINDOW_TERMINAL +用户 QO000029  " : "WINDOW_TERMINAL +user QO000029  "));
        Assert.Contains(lines, l => l.Contains(chinese ? "按规则统计告警" : "alerts by rule", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zh-CN", "暂无", "告警 0 条，暂停 0 次；注入违规场景 14 个")]
    [InlineData("en", "none yet", "0 alerts, 0 suspensions; 14 incidents injected")]
    public void The_view_of_a_demo_that_found_nothing_yet_says_so(string lang, string none, string found)
    {
        var lines = VirtualTerminal.WrittenLines(Draw(new DemoView(1000, 14, DemoTexts.Of(lang)).Render(0, 0, 0, 80, 24), 80)).Where(l => l.Length > 0).ToList();
        Assert.Equal(3, lines.Count(l => l.StartsWith(none, StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains(found, StringComparison.Ordinal));
        Assert.True(lines.Count <= 22);
        Assert.DoesNotContain(lines, l => VirtualTerminal.Width(l) > 80);
    }

    /// <summary>
    /// The script says it is building, on stderr and first, when a build has work to do, and says nothing more
    /// when the CLI is up to date. Run on a copy of the script in a tree of its own, with a stand-in for dotnet
    /// that records the build: no real build, so the test takes a second.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // the script is bash; the stand-in must be made executable
    public async Task The_script_says_it_is_building_before_a_build_and_nothing_when_the_cli_is_up_to_date()
    {
        var root = Directory.CreateDirectory(Path.Combine(_dir.FullName, "repo")).FullName;
        File.Copy(Path.Combine(Cli.Root, "monitor"), Path.Combine(root, "monitor"));
        foreach (var d in new[] { "ingest/Monitor.Contracts", "detectors/Monitor.Detectors", "tools/Monitor.Cli", "stub" })
            Directory.CreateDirectory(Path.Combine(root, d));
        var source = Path.Combine(root, "ingest", "Monitor.Contracts", "Alert.cs");
        await File.WriteAllTextAsync(source, "// a source");
        await File.WriteAllTextAsync(Path.Combine(root, "tools", "Monitor.Cli", "Monitor.Cli.csproj"), "<Project />");
        var bin = Path.Combine(root, "tools", "Monitor.Cli", "bin", "Release", "net10.0");
        await File.WriteAllTextAsync(Path.Combine(root, "stub", "dotnet"), """
            #!/bin/sh
            # dotnet as the script uses it: "build <csproj> ..." makes the CLI; "<dll> args" runs it.
            if [ "$1" = build ]; then
              echo build >> "$(dirname "$0")/builds"
              [ -e "$(dirname "$0")/fail" ] && { echo "error CS1002: ; expected"; exit 1; }
              # the SDK stamps the commit into the assembly's informational version
              out="$(dirname "$2")/bin/Release/net10.0"; mkdir -p "$out"
              echo "1.0.0+$(git -C "$(dirname "$2")" rev-parse HEAD)" > "$out/Monitor.Cli.dll"; exit 0
            fi
            shift; echo "cli $* (invoked as $MONITOR_INVOKED_AS)"
            """);
        File.SetUnixFileMode(Path.Combine(root, "stub", "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var building = "正在构建… 首次约需一两分钟 (building; the first build takes a minute or two)"; // one line of an 80-column terminal
        await Git("init", "-q");
        await Git("commit", "-q", "--allow-empty", "-m", "first");

        // The first run builds: the line comes first, on stderr; the verb runs after, with the script as called.
        var first = await Run("--help");
        Assert.Equal(0, first.Code);
        Assert.Equal(building, first.Stderr.Trim());
        Assert.Equal($"cli --help (invoked as {root}/monitor)", first.Stdout.Trim());
        // Up to date: dotnet build still runs (it is the judge), and nothing is said.
        var second = await Run("demo");
        Assert.Equal(("", $"cli demo (invoked as {root}/monitor)"), (second.Stderr, second.Stdout.Trim()));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(root, "stub", "builds")).Length);
        Assert.StartsWith("1.0.0+", await File.ReadAllTextAsync(Path.Combine(bin, "Monitor.Cli.dll"))); // the stand-in stamped a commit

        // A source edited after the last build: the line again, once.
        foreach (var f in Directory.GetFiles(bin, "*", new EnumerationOptions { AttributesToSkip = 0 }))
            File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddHours(-1));
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal(building, (await Run("demo")).Stderr.Trim());
        Assert.Equal("", (await Run("demo")).Stderr);

        // Another commit checked out, no source newer: the SDK rebuilds to stamp it, and the line says so, once.
        await Git("commit", "-q", "--allow-empty", "-m", "second");
        Assert.Equal(building, (await Run("demo")).Stderr.Trim());
        Assert.Equal("", (await Run("demo")).Stderr);

        // A build that fails: its output and one line, exit 1, the verb not run.
        File.Delete(Path.Combine(bin, "Monitor.Cli.dll"));
        await File.WriteAllTextAsync(Path.Combine(root, "stub", "fail"), "");
        var failed = await Run("demo");
        Assert.Equal(1, failed.Code);
        Assert.Equal([building, "error CS1002: ; expected", "monitor: build failed"], failed.Stderr.Trim().Split('\n'));
        Assert.Equal("", failed.Stdout);

        async Task Git(params string[] args)
        {
            var psi = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-c", "user.name=test", "-c", "user.email=test@example.invalid" }.Concat(args)) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, await stderr);
        }

        async Task<(int Code, string Stdout, string Stderr)> Run(string verb)
        {
            var psi = new ProcessStartInfo(Path.Combine(root, "monitor")) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir.FullName };
            psi.ArgumentList.Add(verb);
            psi.Environment["PATH"] = Path.Combine(root, "stub") + ":" + Environment.GetEnvironmentVariable("PATH");
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            return (p.ExitCode, stdout, await stderr);
        }
    }

    [Theory]
    [InlineData("./monitor", "./monitor")]
    [InlineData("monitor", "./monitor")] // bash monitor demo: not a command on the PATH
    [InlineData("/opt/my tools/monitor", "'/opt/my tools/monitor'")]
    [InlineData("", "./monitor")]
    public void The_replay_hint_names_the_script_as_it_was_called(string invokedAs, string printed)
    {
        var before = Environment.GetEnvironmentVariable("MONITOR_INVOKED_AS");
        try
        {
            Environment.SetEnvironmentVariable("MONITOR_INVOKED_AS", invokedAs);
            Assert.Equal(printed, Shell.Invocation);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MONITOR_INVOKED_AS", before);
        }
    }

    [Fact]
    public void A_command_wider_than_the_terminal_is_broken_with_backslashes_between_an_option_and_the_next()
    {
        string[] words = ["/home/wang/projects/credit/monitor", "replay", "--input out/demo/events.jsonl", "--output alerts.jsonl"];
        Assert.Equal(["  /home/wang/projects/credit/monitor replay --input out/demo/events.jsonl \\", "    --output alerts.jsonl"], Shell.Lines(words, 80));
        Assert.Equal(["  /home/wang/projects/credit/monitor replay --input out/demo/events.jsonl --output alerts.jsonl"], Shell.Lines(words, 100));
        Assert.Equal(["  ./monitor replay --input out/demo/events.jsonl --output alerts.jsonl"], Shell.Lines(["./monitor", .. words[1..]], 80));
        Assert.Equal("'it'\\''s here/events.jsonl'", Shell.Quote("it's here/events.jsonl"));
    }

    [GeneratedRegex(@"^(critical|high    |medium  |low     ) +\d+ [A-Z_]+ ")]
    private static partial Regex SeverityRow();

    /// <summary>A row of the Chinese view's latest alerts: the severity in four columns (严重, 高, 中, 低), the score, the rule id.</summary>
    [GeneratedRegex(@"^(严重|高  |中  |低  ) +\d+ [A-Z_]+ ")]
    private static partial Regex ChineseSeverityRow();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();

    [GeneratedRegex(@"^  curl -H ""Authorization: Bearer \$KEY"" (http://127\.0\.0\.1:\d+/)api/alerts$")]
    private static partial Regex CurlLine();

    private static async Task<(int Code, string Output)> Bash(string workingDirectory, string commandLine)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(commandLine);
        psi.Environment.Remove("MONITOR_INVOKED_AS");
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = await p.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, $"{stdout}\n{await stderr}");
    }

    /// <summary>What a terminal of <paramref name="width"/> columns gets for <paramref name="view"/>, colours left out.</summary>
    private static string Draw(Spectre.Console.Rendering.IRenderable view, int width)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        console.Write(view);
        return writer.ToString();
    }

    /// <summary>A demo well under way: alerts of every rule (the newest a window-terminal alert), explained in both languages, 20 suspensions.</summary>
    private static DemoView Busy(DemoTexts texts)
    {
        var view = new DemoView(20_000_000, 120, texts);
        string[] rules = ["ADMIN_QUERY", "NO_AUTHORIZATION", "QUERY_BEFORE_AUTHORIZATION", "OFF_HOURS", "VOLUME_SPIKE", "BRANCH_VOLUME_SPIKE",
            "SHARED_ACCOUNT", "REPEATED_SUBJECT", "DORMANT_ACCOUNT", "KIOSK_OFF_HOURS", "LOGIN_FAILURES", "ROLE_CONFLICT", "REPEAT_RATIO",
            "POST_LOAN_ABUSE", "BEHAVIOUR_OUTLIER", "WINDOW_TERMINAL"];
        var t = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));
        string En(int i) => i % 2 == 1
            ? $"window-query user QO{i:D6} read a credit report on terminal TW030101, which is not a registered query terminal; window-query users read only on them"
            : $"user QO{i:D6} queried {100 + i} credit reports on 2026-03-02, more than 3 times the usual for its role and branch and well over the limit";
        string Reason(int i) => $"DORMANT_ACCOUNT (critical, score 100): disabled account QO{i:D6} read a credit report; its query permission is suspended and its branch told to verify";
        var alerts = Enumerable.Range(0, 30).Select(i => new Alert
        {
            AlertId = $"a{i}",
            Revision = 1,
            Rule = i == 29 ? "WINDOW_TERMINAL" : rules[i % rules.Length],
            EntityType = "user",
            EntityId = $"QO{i:D6}",
            UserId = $"QO{i:D6}",
            BranchId = "SB0301",
            Severity = new[] { "critical", "high", "medium", "low" }[i % 4],
            Score = 100 - i,
            Day = "2026-03-02",
            EventTime = t.AddMinutes(i),
            LastEventTime = t.AddMinutes(i),
            Count = 1,
            Explanation = En(i),
            Explanations = new Localized
            {
                Zh = i % 2 == 1
                    ? $"窗口查询用户 QO{i:D6} 在非查询专机的终端 TW030101 上查询了征信报告；窗口查询用户只能在本行登记的查询专机上查询 (查询专机)"
                    : $"用户 QO{i:D6} 于 2026-03-02 查询了 {100 + i} 份信用报告，超过同角色同机构通常查询量的 3 倍，也远超限额",
                En = En(i),
            },
            Evidence = [],
        }).ToList();
        var commands = Enumerable.Range(0, 20).Select(i => new PermissionCommand
        {
            CommandId = $"c{i}",
            Action = "suspend",
            UserId = $"QO{i:D6}",
            BranchId = "SB0301",
            Reason = Reason(i),
            Reasons = new Localized { Zh = $"DORMANT_ACCOUNT（严重，评分 100）：停用账户 QO{i:D6} 查询了征信报告，按策略暂停其查询权限并通知所在支行核查", En = Reason(i) },
            AlertIds = [$"a{i}"],
            IssuedAt = t,
        }).ToList();
        view.Add(new BatchReport(alerts, commands, [], t.AddHours(5)));
        view.Produced = 12_400_000;
        return view;
    }
}
