using System.CommandLine;
using Confluent.Kafka;
using Monitor.Contracts;
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
        var cmd = new Command("simulate", "generate a simulated bank's query log with labelled incidents") { output, labels, kafka, topic, seed, days, start, incidents };
        cmd.SetAction((p, ct) => Cli.Guard(async () =>
        {
            var sim = new BankSimulator(CommonOptions.Simulation(p, seed, days, start, incidents));
            await using (var l = Cli.Writer(p.GetValue(labels)!))
                foreach (var label in sim.Labels) await l.WriteLineAsync(LabelJson.Serialize(label));
            long n = 0;
            if (p.GetValue(kafka) is { } servers)
            {
                using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = servers, LingerMs = 10 }).Build();
                foreach (var e in sim.Events())
                {
                    ct.ThrowIfCancellationRequested();
                    Produce(producer, p.GetValue(topic)!, e);
                    n++;
                }
                producer.Flush(TimeSpan.FromSeconds(30));
            }
            else if (p.GetValue(output) is { } file)
            {
                await using var w = Cli.Writer(file);
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
            Console.Error.WriteLine($"simulated {n} events over {p.GetValue(days)} days for {sim.Bank.Users.Count} accounts in {sim.Bank.Branches.Count} branches; {sim.Labels.Count} incidents labelled");
            return 0;
        }));
        return cmd;
    }

    /// <summary>Produces one event keyed by its user, waiting when librdkafka's queue is full.</summary>
    public static void Produce(IProducer<string, byte[]> producer, string topic, QueryLogEvent e)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, new Message<string, byte[]> { Key = e.UserId, Value = EventJson.SerializeToUtf8(e) });
                return;
            }
            catch (ProduceException<string, byte[]> x) when (x.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }
}
