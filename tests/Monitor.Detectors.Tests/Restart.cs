using Monitor.Contracts.State;
using Monitor.Testing;
using Xunit;

namespace Monitor.Detectors.Tests;

/// <summary>What a restart does to a piece of detector state: saved, then restored into a fresh instance.</summary>
internal static class Restart
{
    /// <summary>Round-trips <paramref name="original"/> into <paramref name="fresh"/>, asserts that no field differs, and returns the restored instance.</summary>
    public static T Into<T>(T original, T fresh) where T : IDurableState
    {
        var differences = StateComparer.RoundTrip(original, fresh, typeof(DetectorContext));
        Assert.True(differences.Count == 0, "lost in the round trip:\n" + string.Join("\n", differences));
        return fresh;
    }

    public static byte[] Bytes(IDurableState state)
    {
        using var w = new StateWriter();
        state.Save(w);
        return w.ToArray();
    }

    public static void Load(IDurableState into, byte[] bytes)
    {
        using var r = StateReader.Open(bytes);
        into.Restore(r);
        r.End();
    }

    /// <summary>Asserts that every prefix of <paramref name="bytes"/> is refused with <see cref="StateFormatException"/>, never another exception.</summary>
    public static void EveryCutIsRefused(byte[] bytes, Func<IDurableState> fresh)
    {
        for (var n = 0; n < bytes.Length; n++)
        {
            var cut = bytes[..n];
            var thrown = Record.Exception(() => Load(fresh(), cut));
            Assert.True(thrown is StateFormatException, $"a snapshot cut to {n} of {bytes.Length} bytes gave {thrown?.GetType().Name ?? "no exception"}");
        }
    }
}
