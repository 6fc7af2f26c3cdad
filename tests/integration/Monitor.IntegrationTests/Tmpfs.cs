using System.Diagnostics;

namespace Monitor.IntegrationTests;

/// <summary>
/// A small tmpfs mounted for one test (the tests run as root on the build machine): a disk that fills up, or one
/// remounted read-only, which chmod cannot give root. <see cref="TryMount"/> is null where mounting is not allowed.
/// </summary>
internal sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static Tmpfs? TryMount(string size)
    {
        var dir = Directory.CreateTempSubdirectory("monitor-tmpfs-").FullName;
        if (Sh("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", dir) == 0) return new Tmpfs(dir);
        Directory.Delete(dir);
        return null;
    }

    /// <summary>Fills the disk to the last byte.</summary>
    public void Fill()
    {
        try
        {
            using var f = File.OpenWrite(System.IO.Path.Combine(Path, "filler"));
            var block = new byte[4096];
            while (true) f.Write(block);
        }
        catch (IOException)
        {
        }
    }

    public void ReadOnly()
    {
        if (Sh("mount", "-o", "remount,ro", Path) != 0) throw new InvalidOperationException($"cannot remount {Path} read-only");
    }

    public void Dispose()
    {
        Sh("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static int Sh(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
