using System.CommandLine;
using Monitor.Actors;
using Monitor.Hosting;
using Monitor.Ingest;

namespace Monitor.Cli.Commands;

/// <summary><c>monitor run</c>: the long-running service against Kafka.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var kafka = CommonOptions.Kafka();
        var group = new Option<string>("--group") { Description = "consumer group id", DefaultValueFactory = _ => "credit-monitor" };
        var inputTopic = new Option<string>("--input-topic") { DefaultValueFactory = _ => "credit.query-log" };
        var alertsTopic = new Option<string>("--alerts-topic") { DefaultValueFactory = _ => "credit.alerts" };
        var commandsTopic = new Option<string>("--commands-topic") { DefaultValueFactory = _ => "credit.permission-commands" };
        var dlqTopic = new Option<string>("--dead-letter-topic") { DefaultValueFactory = _ => "credit.query-log.dlq" };
        var models = new Option<DirectoryInfo>("--models")
        {
            Description = "where versioned peer models are saved and reloaded from on start (docs/models.md)", DefaultValueFactory = _ => new DirectoryInfo("models"),
        };
        var training = new Option<string>("--training")
        {
            Description = "when the behaviour models retrain: background (on a wall-clock schedule, detection never waits; the default) or each-day (at each new event day, detection waiting for it: a backlog gives the alerts a replay gives)",
            DefaultValueFactory = _ => "background",
        };
        training.AcceptOnlyFromAmong("background", "each-day");
        var settings = CommonOptions.Settings();
        var store = CommonOptions.Store("monitor.db");
        var fresh = CommonOptions.Fresh();
        var api = CommonOptions.Api();
        var metrics = new MetricsOptions("metrics.lp");
        var cluster = new ClusterCli();
        var candidate = new Option<FileInfo?>("--candidate")
        {
            Description = "fly a candidate settings file beside the live settings: a shadow graph fed the same events, its alerts tagged with its name on --candidate-topic only, never a command, never in the officers' queue (docs/tuning.md)",
        };
        var candidateName = new Option<string?>("--candidate-name") { Description = "the candidate's name: its alerts' flight field and its metrics' run tag (default: the file's name without extension)" };
        var candidateTopic = new Option<string>("--candidate-topic") { Description = "where the candidate's alerts go", DefaultValueFactory = _ => "credit.alerts.candidate" };
        var cmd = new Command("run", "consume the query log from Kafka, publish alerts and permission commands, and serve the officers' API until stopped")
        {
            kafka, group, inputTopic, alertsTopic, commandsTopic, dlqTopic, settings, models, store, fresh, api, training, candidate, candidateName, candidateTopic,
        };
        foreach (var o in metrics.All.Concat(cluster.All)) cmd.Options.Add(o);
        cmd.SetAction((p, ct) => Cli.Guard(async () =>
        {
            var node = cluster.Read(p, p.GetValue(store)!, p.GetValue(fresh));
            var inForce = CommonOptions.LoadSettings(p.GetValue(settings));
            var candFile = p.GetValue(candidate);
            var candSettings = candFile is null ? null : CommonOptions.LoadSettings(candFile, "--candidate");
            var flightName = candFile is null ? null : p.GetValue(candidateName) ?? Path.GetFileNameWithoutExtension(candFile.Name);
            if (candFile is not null && Monitor.Ingest.FlightRules.Invalid(flightName) is { } badName) throw new CliException($"--candidate-name: {badName}");
            if (candFile is not null && p.GetValue(candidateTopic) is { } ct0 && new[] { alertsTopic, commandsTopic, inputTopic, dlqTopic }.FirstOrDefault(t => p.GetValue(t) == ct0) is { } taken)
                throw new CliException($"--candidate-topic: {ct0} is the monitor's {taken.Name}; the candidate's alerts need a topic of their own");
            var listen = ApiListen.Of(p.GetValue(api), inForce.Settings.Api.Listen);
            listen.EnsureFree(); // a service never moves: its clients send their keys to this port
            var modelsDir = p.GetValue(models)!;
            try
            {
                modelsDir.Create();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--models: cannot write {modelsDir.FullName}: {Cli.Reason(e)}");
            }
            var alertStore = await OfficerService.OpenStoreAsync(p.GetValue(store)!);
            var (sink, where) = metrics.Create(p, m => Console.Error.WriteLine(m));
            await using var metricsSink = sink!;
            using var mock = p.GetValue(kafka) is null ? MockCluster.Start() : null;
            var servers = p.GetValue(kafka) ?? mock!.BootstrapServers;
            if (mock is not null)
                Console.Error.WriteLine($"no --kafka given: started librdkafka's mock cluster at {servers} (for trying it out; production uses a real cluster)");
            var options = new KafkaOptions
            {
                BootstrapServers = servers,
                GroupId = p.GetValue(group)!,
                InputTopic = p.GetValue(inputTopic)!,
                AlertsTopic = p.GetValue(alertsTopic)!,
                CommandsTopic = p.GetValue(commandsTopic)!,
                DeadLetterTopic = p.GetValue(dlqTopic)!,
            };
            // Live: the behaviour models retrain in the background on a schedule and are saved; detection never waits.
            var mode = p.GetValue(training) == "each-day" ? TrainingMode.EachEventDay : TrainingMode.Background;
            await using var host = await MonitorHost.StartAsync(new MonitorHostOptions(inForce)
            {
                SettingsFile = p.GetValue(settings)?.FullName,
                StateStore = p.GetValue(store),
                Fresh = p.GetValue(fresh),
                Training = new ModelTraining(mode, new Monitor.Models.ModelStore(modelsDir.FullName)),
                Cluster = node,
                Candidate = candSettings is null ? null : new FlightCandidate(flightName!, candSettings, candFile!.FullName),
            });
            Console.Error.WriteLine(where);
            var service = await host.StartOfficersAsync(alertStore, servers, options.CommandsTopic, listen.ToString(), listen.Source, mayMove: false, sink!, p.GetValue(metrics.Run)!);
            using var flightTopic = candSettings is null ? null : new FlightTopic(servers, p.GetValue(candidateTopic)!, host.Lines("Monitor.Flight"));
            Func<FlightRunner?> fly = flightTopic is null ? () => null : () => host.Flight(flightTopic.Publish, sink);
            if (flightTopic is not null)
                Console.Error.WriteLine($"flying candidate {flightName} ({candFile!.FullName}, reloaded when saved) beside the live settings{(node is null ? "" : " while this node leads")}: its alerts go to {flightTopic.Topic} tagged \"flight\": \"{flightName}\", never a command, never the officers' queue; metrics run={flightName}");
            if (node is not null) return await LeadWhenAskedAsync(host, node, alertStore, service, options, servers, fly, ct);
            var graph = host.Graph;
            await using var flight = fly();
            var ingest = host.Ingest(options, service, flight: flight);
            ingest.BatchPublished += Print;
            Console.Error.WriteLine(graph.IsDurable
                ? $"consuming {options.InputTopic} at {servers} from the positions of checkpoint {graph.Checkpoint} (partitions assigned by the monitor, not the group); Ctrl+C stops"
                : $"consuming {options.InputTopic} at {servers} as group {options.GroupId}; Ctrl+C stops");
            service.Running = true;
            try
            {
                await ingest.RunAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM in the middle of a batch: the same orderly stop and summary as between batches.
            }
            finally
            {
                service.Running = false;
            }
            await service.StopReportingAsync();
            Console.Error.WriteLine(Stopped(ingest.Stats.Events, ingest.Stats.AlertRevisions, ingest.Stats.Commands, ingest.Stats.DeadLettered));
            if (flight is not null)
            {
                await flight.DisposeAsync(); // its queued batches through before the summary
                Console.Error.WriteLine(flight.Summary());
            }
            return 0;
        }));
        return cmd;
    }

    /// <summary>The summary a stopped run prints, single node or cluster node (over all its terms).</summary>
    private static string Stopped(long events, long revisions, long commands, long dead) =>
        $"stopped after {events} events ({revisions} alert revisions, {commands} commands, {dead} dead letters)";

    private static void Print(BatchReport r)
    {
        foreach (var a in r.Alerts.Where(a => a.Revision == 1)) Console.WriteLine(ReportLines.Alert(a));
        foreach (var c in r.Commands) Console.WriteLine(ReportLines.Command(c));
        foreach (var d in r.DeadLetters) Console.WriteLine(ReportLines.DeadLetter(d));
    }

    /// <summary>
    /// A cluster node: serves the officers' API over the shared store all along, and runs the pipeline (the graph from
    /// the last committed checkpoint, the Kafka ingest from its positions) whenever the cluster gives it the lead, until
    /// the lead goes elsewhere or the node is stopped.
    /// </summary>
    private static async Task<int> LeadWhenAskedAsync(MonitorHost host, Monitor.Hosting.Cluster.ClusterNode node, Monitor.Store.AlertStore store, OfficerService service,
        KafkaOptions options, string servers, Func<FlightRunner?> fly, CancellationToken ct)
    {
        Console.Error.WriteLine($"cluster node {node.Self} (seeds {string.Join(", ", node.Seeds)}): standing by until it leads the pipeline; the officers' API serves the shared store meanwhile; Ctrl+C stops");
        _ = host.JoinedAsync().ContinueWith(_ => Console.Error.WriteLine($"joined the cluster as {node.Self}"), TaskContinuationOptions.OnlyOnRanToCompletion);
        service.Running = true;
        long events = 0, revisions = 0, commands = 0, dead = 0;
        // Downed by the cluster (the split brain resolver chose the other side): the actor system stops, and so does the node.
        using var downed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _ = host.Terminated.ContinueWith(_ => downed.Cancel(), TaskScheduler.Default);
        try
        {
            while (!downed.IsCancellationRequested)
            {
                await using var term = await host.LeadAsync(store, downed.Token);
                if (term is null) break;
                Console.Error.WriteLine($"this node leads the pipeline: consuming {options.InputTopic} at {servers} from the positions of checkpoint {host.Graph.Checkpoint}");
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(downed.Token, term.Lost);
                // A flight flies while this node leads, from empty each term (as after a restart of a single node).
                var flight = fly();
                var ingest = host.Ingest(options, service, flight: flight);
                ingest.BatchPublished += Print;
                // A member gone: entities there may have lost this term's state, so no last checkpoint; the next term begins from the last one.
                using var changed = term.Lost.Register(() => ingest.CheckpointOnStop = !term.MembersChanged);
                string? lost = null;
                try
                {
                    await ingest.RunAsync(stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (Monitor.Actors.Sharding.EntityStateLostException e)
                {
                    lost = e.Message;
                }
                finally
                {
                    if (flight is not null)
                    {
                        await flight.DisposeAsync();
                        Console.Error.WriteLine(flight.Summary());
                    }
                }
                (events, revisions, commands, dead) = (events + ingest.Stats.Events, revisions + ingest.Stats.AlertRevisions, commands + ingest.Stats.Commands, dead + ingest.Stats.DeadLettered);
                if (downed.IsCancellationRequested) continue;
                if (lost is not null) Console.Error.WriteLine($"{lost}: beginning a new term from the last checkpoint");
                else if (term.MembersChanged) Console.Error.WriteLine($"a member of the cluster became unreachable after {ingest.Stats.Events} events here: beginning a new term from the last checkpoint once every member is reachable");
                else Console.Error.WriteLine($"the lead moved to another node after {ingest.Stats.Events} events here; standing by");
            }
        }
        finally
        {
            service.Running = false;
        }
        await service.StopReportingAsync();
        Console.Error.WriteLine($"entity messages from other nodes: {Monitor.Actors.Sharding.EntityConfig.Get(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Akka.Actor.ActorSystem>(host.Services)).FromOtherNodes}");
        Console.Error.WriteLine(Stopped(events, revisions, commands, dead));
        if (ct.IsCancellationRequested) return 0;
        Console.Error.WriteLine($"monitor: {node.Self} was removed from the cluster (the others could not reach it for --down-after, or it was on the smaller side of a split); start it again to rejoin");
        return 1;
    }
}
