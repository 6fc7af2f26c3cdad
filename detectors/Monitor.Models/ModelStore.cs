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
        if (!IsFileSafe(set.Version)) throw new ArgumentException($"model version {set.Version} cannot name a file", nameof(set));
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

    /// <summary>
    /// The saved set of <paramref name="version"/> (its file name and the version inside must both say so), or null
    /// when it is gone (pruned, damaged or never saved): a monitor restored from a checkpoint puts back the set
    /// that was in force then, not the newest file, so its alerts are scored as they would have been.
    /// </summary>
    public PeerModelSet? Load(string version)
    {
        if (!IsFileSafe(version)) return null;
        var path = Path.Combine(directory, $"{Prefix}{version}.json");
        if (!File.Exists(path)) return null;
        try
        {
            var set = JsonSerializer.Deserialize<PeerModelSet>(File.ReadAllText(path), Json);
            return set is not null && string.Equals(set.Version, version, StringComparison.Ordinal) ? set : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Versions are file names: no separators, no dots leading out of the directory.</summary>
    private static bool IsFileSafe(string version) =>
        version.Length is > 0 and <= 200 && !version.Contains("..", StringComparison.Ordinal) && version.IndexOfAny([.. Path.GetInvalidFileNameChars(), '/', '\\']) < 0;

    /// <summary>Saved files, newest first (by write time, then name).</summary>
    private IEnumerable<string> Files() =>
        System.IO.Directory.Exists(directory)
            ? new DirectoryInfo(directory).GetFiles(Prefix + "*.json").OrderByDescending(f => f.LastWriteTimeUtc).ThenByDescending(f => f.Name, StringComparer.Ordinal).Select(f => f.FullName)
            : [];
}
