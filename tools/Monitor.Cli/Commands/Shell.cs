using Spectre.Console;

namespace Monitor.Cli.Commands;

/// <summary>
/// Commands the CLI prints for the user to run next (the demo's replay hint), written so that they work when pasted
/// where the user stands: the script as the user called it, words quoted for the shell where needed, and a command
/// wider than the terminal broken with <c>\</c> rather than wrapped by the terminal in the middle of a word.
/// </summary>
internal static class Shell
{
    /// <summary>
    /// The <c>monitor</c> script as the user called it (<c>./monitor</c>, <c>../monitor</c>, <c>/opt/monitor/monitor</c>):
    /// the script exports it as MONITOR_INVOKED_AS; <c>./monitor</c> when the CLI was started otherwise.
    /// </summary>
    public static string Invocation
    {
        get
        {
            var invoked = Environment.GetEnvironmentVariable("MONITOR_INVOKED_AS");
            if (string.IsNullOrWhiteSpace(invoked)) return "./monitor";
            // "bash monitor demo" sets it to "monitor", which the shell would look up on the PATH.
            return Quote(invoked.Contains('/', StringComparison.Ordinal) ? invoked : "./" + invoked);
        }
    }

    /// <summary><paramref name="word"/> as the shell reads it back: as it is when it is safe, in single quotes otherwise.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_-./:=@%+,".Contains(c, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", @"'\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// <paramref name="words"/> (already quoted; an option with its value may be one word, kept on one line) as the
    /// lines of one command, none wider than <paramref name="width"/> columns where the words allow: the first line
    /// indented by two spaces, each line but the last ending in <c> \</c>, the lines after the first indented by four.
    /// </summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<string> words, int width)
    {
        var lines = new List<string>();
        var line = "  " + words[0];
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i];
            var needs = line + " " + word + (i == words.Count - 1 ? "" : " \\"); // the last word needs no room for a \
            if (needs.GetCellWidth() <= width)
            {
                line += " " + word;
                continue;
            }
            lines.Add(line + " \\");
            line = "    " + word;
        }
        lines.Add(line);
        return lines;
    }
}
