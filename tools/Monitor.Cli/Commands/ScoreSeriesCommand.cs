using System.CommandLine;
using Monitor.Series;

namespace Monitor.Cli.Commands;

/// <summary><c>monitor score-series</c>: the streaming time-series detector on its own, over a CSV file.</summary>
internal static class ScoreSeriesCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "CSV with a header and columns timestamp,value", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "the same rows with an anomaly_score column in [0,1]", Required = true };
        var cmd = new Command("score-series", "score a univariate series point by point; each score uses only that row and the rows before it") { input, output };
        cmd.SetAction((p, _) => Cli.Guard(async () =>
        {
            var inFile = p.GetValue(input)!;
            if (!inFile.Exists) throw new CliException($"--input: {inFile.FullName} does not exist");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            int rows;
            using (var reader = new StreamReader(inFile.FullName, System.Text.Encoding.UTF8, true, 1 << 16))
            await using (var writer = Cli.Writer(p.GetValue(output)!, "--output"))
            {
                try
                {
                    rows = SeriesCsv.Score(reader, writer);
                }
                catch (FormatException e)
                {
                    throw new CliException($"--input: {e.Message}");
                }
            }
            Console.Error.WriteLine($"scored {rows} rows in {sw.Elapsed.TotalMilliseconds:F0} ms");
            return 0;
        }));
        return cmd;
    }
}
