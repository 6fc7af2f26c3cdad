using System.CommandLine;
using Confluent.Kafka;
using Monitor.Contracts;
using Monitor.Ingest;
using Monitor.Simulator;

namespace Monitor.Cli.Commands;

/// <summary><c>monitor simulate</c>: a simulated bank's events and the labels of its incidents, to files or Kafka.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo?>("--output") { Description = "events file (JSON lines)" };
        var labels = new Option<FileInfo>("--labels") { Description = "labels file (JSON lines)", Required = true };
        var kafka = CommonOptions.Kafka();
        var topic = new Option<string>("--topic") { Description = "topic to produce to with --kafka", DefaultValueFactory = _ => "credit.query-log" };
        var seed = CommonOptions.Seed();
        var days = CommonOptions.Days();
        var start = CommonOptions.Start();
        var incidents = CommonOptions.Incidents();
        var partition = new Option<int?>("--partition") { Description = "with --kafka, produce every event to this one partition (one total order, for runs that must be compared event for event)" };
        var names = new Option<FileInfo?>("--names") { Description = "also write the bank's directory of names (branches, employees, account holders) for import-names" };
        var operators = new Option<int>("--operators") { Description = "query operators per sub-branch (a smaller bank, less traffic)", DefaultValueFactory = _ => 6 };
        var feeds = CommonOptions.Feeds();
        var peaks = new Option<bool>("--peaks") { Description = "calendar peaks: month-ends (x1.5), quarter-ends (x2) and the two working days after a holiday of three days or more (x1.8, x1.4), every account at the day's factor; each peak day is labelled peak_day (to stay quiet)" };
        var hires = new Option<int>("--new-hires") { Description = "query operators who join during the run (account created, HR joined with --feeds) and ramp up over three weeks; each labelled new_hire (to stay quiet)", DefaultValueFactory = _ => 0 };
        var cmd = new Command("simulate", "generate a simulated bank's query log with labelled incidents") { output, labels, names, kafka, topic, seed, days, start, incidents, feeds, peaks, hires, operators, partition };
        cmd.SetAction((p, ct) => Cli.Guard(async () =>
        {
            if (p.GetValue(operators) is < 1 or > 200) throw new CliException($"--operators: {p.GetValue(operators)} must be between 1 and 200");
            if (p.GetValue(hires) is < 0 or > 99) throw new CliException($"--new-hires: {p.GetValue(hires)} must be between 0 and 99");
            var sim = new BankSimulator(CommonOptions.Simulation(p, seed, days, start, incidents) with
            {
                OperatorsPerSubBranch = p.GetValue(operators), Feeds = p.GetValue(feeds), Peaks = p.GetValue(peaks), NewHires = p.GetValue(hires),
            });
            // Opened first (a path that cannot be written is refused before any event), written last: each label lists its
            // incident's own events, known once they are generated.
            await using var l = Cli.Writer(p.GetValue(labels)!, "--labels");
            if (p.GetValue(names) is { } namesFile)
                await using (var w = Cli.Writer(namesFile, "--names"))
                    await w.WriteAsync(BankDirectory.Csv(BankDirectory.Names(sim.Bank)));
            long n = 0;
            if (p.GetValue(kafka) is { } servers)
            {
                var builder = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = servers, LingerMs = 10 });
                if (p.GetValue(partition) is { } only)
                {
                    if (only < 0) throw new CliException($"--partition: {only} is not a partition number");
                    builder.SetDefaultPartitioner((_, count, _, _) => only < count ? new Partition(only) : throw new CliException($"--partition: the topic has {count} partitions, {only} is not one"));
                }
                using var producer = builder.Build();
                foreach (var e in sim.Events())
                {
                    ct.ThrowIfCancellationRequested();
                    producer.ProduceWhenRoom(p.GetValue(topic)!, e.Key, EventJson.SerializeToUtf8(e));
                    n++;
                }
                producer.Flush(TimeSpan.FromSeconds(30));
            }
            else if (p.GetValue(output) is { } file)
            {
                await using var w = Cli.Writer(file, "--output");
                foreach (var e in sim.Events())
                {
                    await w.WriteLineAsync(EventJson.Serialize(e));
                    n++;
                }
            }
            else
            {
                throw new CliException("give --output FILE or --kafka HOST:PORT");
            }
            foreach (var label in sim.Labels) await l.WriteLineAsync(LabelJson.Serialize(label));
            var quiet = sim.Labels.Count(l => l.IsQuiet);
            Console.Error.WriteLine($"simulated {n} events over {p.GetValue(days)} days for {sim.Bank.Users.Count} accounts in {sim.Bank.Branches.Count} branches; {sim.Labels.Count - quiet} incidents labelled"
                + (quiet > 0 ? $", and {quiet} stretches of ordinary life that must stay quiet (peak days, new hires)" : ""));
            return 0;
        }));
        return cmd;
    }
}
