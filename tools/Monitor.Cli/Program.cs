using System.CommandLine;
using System.CommandLine.Invocation;
using Monitor.Cli.Commands;

var root = new RootCommand("Monitor: real-time monitoring of who reads credit reports (征信查询监控)")
{
    DemoCommand.Create(),
    RunCommand.Create(),
    KafkaCommand.Create(),
    ReplayCommand.Create(),
    SimulateCommand.Create(),
    EvaluateCommand.Create(),
    BacktestCommand.Create(),
    ScoreSeriesCommand.Create(),
    ApiKeyCommand.Create(),
    AuditCommand.Create(),
    ReportCommand.Create(),
    ImportAccountsCommand.Create(),
    ImportNamesCommand.Create(),
};
var parsed = root.Parse(args);
if (parsed.Action is ParseErrorAction && parsed.Errors.Count > 0)
{
    Console.Error.WriteLine(Cli.ParseErrorLine(parsed));
    return 2;
}
// Ctrl+C and SIGTERM are ours, not System.CommandLine's: its handler gives up on a graceful stop after 2 s (no
// summary) and throws when two signals arrive together.
using var termination = Termination.Install();
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, termination.Token);
