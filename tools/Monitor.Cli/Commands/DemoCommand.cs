using System.CommandLine;
using Confluent.Kafka;
using Monitor.Actors;
using Monitor.Contracts;
using Monitor.Evaluation;
using Monitor.Hosting;
using Monitor.Ingest;
using Monitor.Simulator;
using Spectre.Console;

namespace Monitor.Cli.Commands;

/// <summary>
/// <c>monitor demo</c>: the whole product on one machine. An embedded Kafka (librdkafka's mock cluster), a
/// simulated bank producing its query log, the monitor consuming it through the real Kafka path, a live view
/// of what it detects, and a closing comparison with what was injected.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var seed = CommonOptions.Seed();
        var days = CommonOptions.Days();
        var start = CommonOptions.Start();
        var incidents = CommonOptions.Incidents();
        var settings = CommonOptions.Settings();
        var rate = new Option<int>("--rate") { Description = "events per second the simulated bank produces (0: as fast as the monitor takes them)", DefaultValueFactory = _ => 3000 };
        var plain = new Option<bool>("--plain") { Description = "print lines instead of the live view (automatic when output is not a terminal)" };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "where to write events, labels, alerts, commands and the alert store", DefaultValueFactory = _ => new DirectoryInfo("out/demo") };
        var api = CommonOptions.Api();
        var serve = new Option<bool>("--serve") { Description = "keep the officers' API and console up after the run, until Ctrl+C, to work the alerts (README: an officer's day)" };
        var lang = new Option<string>("--lang") { Description = "the live view's language: zh-CN (the default: the alerts' Chinese explanations) or en", DefaultValueFactory = _ => "zh-CN" };
        lang.AcceptOnlyFromAmong("zh-CN", "zh", "en");
        var metrics = new MetricsOptions("out/demo/metrics.lp (beside the other outputs)");
        var cmd = new Command("demo", "run a simulated bank through the monitor on an embedded Kafka and show what it detects")
        {
            seed, days, start, incidents, settings, rate, plain, lang, outDir, api, serve,
        };
        foreach (var o in metrics.All) cmd.Options.Add(o);
        cmd.SetAction((p, ct) => Cli.Guard(async () =>
        {
            var inForce = CommonOptions.LoadSettings(p.GetValue(settings));
            if (p.GetValue(rate) < 0) throw new CliException($"--rate: {p.GetValue(rate)} must be zero (as fast as possible) or more");
            var listen = ApiListen.Of(p.GetValue(api), inForce.Settings.Api.Listen);
            var sim = new BankSimulator(CommonOptions.Simulation(p, seed, days, start, incidents));
            var events = sim.Events().ToList();
            var dir = p.GetValue(outDir)!;
            dir.Create();
            await WriteInputs(dir, events, sim.Labels);

            using var cluster = MockCluster.Start();
            var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, GroupId = "credit-monitor-demo" };
            Action<string> note = m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]");
            await using var host = await MonitorHost.StartAsync(new MonitorHostOptions(inForce) { Lines = note });
            var keys = DemoKeys.Install(inForce);
            var storeFile = new FileInfo(Path.Combine(dir.FullName, "monitor.db"));
            foreach (var f in new[] { storeFile.FullName, storeFile.FullName + "-wal", storeFile.FullName + "-shm" }) File.Delete(f);
            var (sink, where) = metrics.Create(p, note, new FileInfo(Path.Combine(dir.FullName, "metrics.lp")));
            await using var metricsSink = sink!;
            note(where);
            // The bank's directory of names, as import-names takes it: the console shows 城东支行 beside SB0101, 张伟 beside QO010101.
            var names = BankDirectory.Names(sim.Bank);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "names.csv"), BankDirectory.Csv(names), ct);
            var alertStore = await OfficerService.OpenStoreAsync(storeFile.FullName);
            await alertStore.ImportNamesAsync(names, "names.csv", new Monitor.Store.Actor("demo", "system"));
            var service = await host.StartOfficersAsync(alertStore, cluster.BootstrapServers, options.CommandsTopic,
                listen.ToString(), listen.Source, mayMove: true, sink!, p.GetValue(metrics.Run)!);
            DemoKeys.Print(keys, service.Api.Address);
            var ingest = host.Ingest(options, service, lines: _ => { }); // the live view shows what the ingest would log
            var view = new DemoView(events.Count, sim.Labels.Count, DemoTexts.Of(p.GetValue(lang)));
            ingest.BatchPublished += view.Add;
            service.Running = true;

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var ingestTask = Task.Run(() => ingest.RunAsync(stop.Token), CancellationToken.None);
            var produceTask = Task.Run(() => Produce(cluster.BootstrapServers, options.InputTopic, events, p.GetValue(rate), ingest.Stats, view, stop.Token), CancellationToken.None);
            var live = !p.GetValue(plain) && AnsiConsole.Profile.Capabilities.Interactive;
            Func<bool> done = () => produceTask.IsFaulted || (produceTask.IsCompleted && ingest.Stats.Events >= events.Count) || ingestTask.IsCompleted;
            if (live) await view.RunLive(ingest.Stats, done, ct);
            else await view.RunPlain(ingest.Stats, done, ct);
            await stop.CancelAsync();
            await Task.WhenAll(produceTask, ingestTask);

            await using (var a = Cli.Writer(new FileInfo(Path.Combine(dir.FullName, "alerts.jsonl")), "--out"))
                foreach (var alert in view.Alerts) await a.WriteLineAsync(OutputJson.Serialize(alert));
            await using (var c = Cli.Writer(new FileInfo(Path.Combine(dir.FullName, "commands.jsonl")), "--out"))
                foreach (var command in view.Commands) await c.WriteLineAsync(OutputJson.Serialize(command));
            var report = Evaluator.Evaluate(view.Alerts, view.Commands, sim.Labels, Evaluator.CountUserDays(events));
            AnsiConsole.WriteLine();
            AnsiConsole.Write(new Rule("[bold]What was injected, and what the monitor found[/]").LeftJustified());
            Console.Write(report.Format());
            // The closing lines, the last screen the user sees: where the outputs are and the command that replays
            // them (as it works from here), then the API's keys again, which the live view pushed off the screen.
            var outputs = Path.GetRelativePath(Environment.CurrentDirectory, dir.FullName);
            if (outputs == ".." || outputs.StartsWith("../", StringComparison.Ordinal)) outputs = dir.FullName; // outside the folder the user is in
            AnsiConsole.MarkupLine($"[grey]events, labels, names, alerts, commands, metrics.lp and monitor.db are in {Markup.Escape(outputs)}[/]");
            AnsiConsole.MarkupLine("[grey]replay them with:[/]");
            var replay = new[] { Shell.Invocation, "replay", "--input " + Shell.Quote(Path.Combine(outputs, "events.jsonl")), "--output alerts.jsonl" };
            foreach (var line in Shell.Lines(replay, AnsiConsole.Profile.Width)) AnsiConsole.MarkupLine(Markup.Escape(line));
            DemoKeys.Print(keys, service.Api.Address);
            if (p.GetValue(serve))
            {
                AnsiConsole.MarkupLine($"[bold]The officers' API stays up at {service.Api.Address} until Ctrl+C.[/]");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                }
            }
            else
            {
                AnsiConsole.MarkupLine("[grey]the officers' API and console stop with the demo: add --serve to keep them up[/]");
            }
            return report.AllDetected ? 0 : 1;
        }));
        return cmd;
    }

    private static async Task WriteInputs(DirectoryInfo dir, List<QueryLogEvent> events, IReadOnlyList<IncidentLabel> labels)
    {
        await using (var w = Cli.Writer(new FileInfo(Path.Combine(dir.FullName, "events.jsonl")), "--out"))
            foreach (var e in events) await w.WriteLineAsync(EventJson.Serialize(e));
        await using (var l = Cli.Writer(new FileInfo(Path.Combine(dir.FullName, "labels.jsonl")), "--out"))
            foreach (var label in labels) await l.WriteLineAsync(LabelJson.Serialize(label));
    }

    /// <summary>
    /// The simulated bank's producer. It paces itself to what the monitor has consumed, because the mock
    /// cluster keeps only a few MB per partition and a consumer that falls that far behind stalls.
    /// </summary>
    private static void Produce(string servers, string topic, List<QueryLogEvent> events, int rate, PipelineStats consumed, DemoView view, CancellationToken ct)
    {
        const int maxAhead = 8000;
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = servers, LingerMs = 5 }).Build();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < events.Count && !ct.IsCancellationRequested; i++)
        {
            while (i - consumed.Events > maxAhead && !ct.IsCancellationRequested)
            {
                producer.Flush(TimeSpan.FromMilliseconds(20));
                Thread.Sleep(5);
            }
            if (rate > 0)
            {
                // Read the clock once: checking and then sleeping on a second reading can go negative and throw.
                var wait = TimeSpan.FromSeconds((double)i / rate) - sw.Elapsed;
                if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            }
            producer.ProduceWhenRoom(topic, events[i].Key, EventJson.SerializeToUtf8(events[i]));
            view.Produced = i + 1;
        }
        producer.Flush(TimeSpan.FromSeconds(30));
    }
}
