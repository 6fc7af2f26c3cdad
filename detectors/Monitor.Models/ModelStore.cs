using System.Text.Json;

namespace Monitor.Models;

/// <summary>
/// Saves model sets as versioned JSON files in a directory and loads the newest on start, so a restarted
/// monitor scores with the models it had instead of waiting for a training run. Keeps the last few versions
/// for an analyst to compare or roll back to.
/// </summary>
public sealed class ModelStore(string directory, int keep = 5)
{
    private const string Prefix = "peer-models-";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string Directory => directory;

    public string Save(PeerModelSet set)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{Prefix}{set.Version}.json");
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(set, Json));
        File.Move(temp, path, overwrite: true); // a crash mid-write never leaves a half file under the real name
        foreach (var old in Files().Skip(keep)) File.Delete(old);
        return path;
    }

    /// <summary>The newest saved set, or null when there is none (or the directory does not exist).</summary>
    public PeerModelSet? LoadLatest()
    {
        foreach (var file in Files())
        {
            try
            {
                return JsonSerializer.Deserialize<PeerModelSet>(File.ReadAllText(file), Json);
            }
            catch (JsonException)
            {
                // A damaged file: fall back to the version before it.
            }
        }
        return null;
    }

    /// <summary>Saved files, newest first (by write time, then name).</summary>
    private IEnumerable<string> Files() =>
        System.IO.Directory.Exists(directory)
            ? new DirectoryInfo(directory).GetFiles(Prefix + "*.json").OrderByDescending(f => f.LastWriteTimeUtc).ThenByDescending(f => f.Name, StringComparer.Ordinal).Select(f => f.FullName)
            : [];
}
