using System.CommandLine;
using Monitor.Cli.Commands;

var root = new RootCommand("Monitor: real-time monitoring of who reads credit reports (征信查询监控)")
{
    DemoCommand.Create(),
    RunCommand.Create(),
    ReplayCommand.Create(),
    SimulateCommand.Create(),
    EvaluateCommand.Create(),
    ScoreSeriesCommand.Create(),
    ApiKeyCommand.Create(),
    AuditCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
