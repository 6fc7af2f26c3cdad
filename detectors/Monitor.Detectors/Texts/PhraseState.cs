using Monitor.Contracts.State;

namespace Monitor.Detectors.Texts;

/// <summary>How a <see cref="Phrase"/> is kept in a detector-state snapshot (schema 4 on): the texts of findings and of the hours the behaviour watch flagged.</summary>
public static class PhraseState
{
    /// <summary>A phrase: its key, then each argument marked as a text (0) or a phrase (1), recursively.</summary>
    public static void WritePhrase(this StateWriter w, Phrase p)
    {
        w.Write(p.Key);
        w.Write(p.Args, static (w, a) =>
        {
            if (a is Phrase inner)
            {
                w.Write(1);
                w.WritePhrase(inner);
            }
            else
            {
                w.Write(0);
                w.Write((string)a);
            }
        });
    }

    public static Phrase ReadPhrase(this StateReader r) => ReadPhrase(r, 0);

    private static Phrase ReadPhrase(StateReader r, int depth)
    {
        if (depth > 16) throw new StateFormatException("a phrase nested more than 16 deep cannot be right");
        var key = r.ReadString();
        var args = r.ReadList(x => x.ReadInt() switch
        {
            0 => (object)x.ReadString(),
            1 => ReadPhrase(x, depth + 1),
            var m => throw new StateFormatException($"phrase argument mark {m} is not valid"),
        });
        return Phrase.Restore(key, [.. args]);
    }
}
