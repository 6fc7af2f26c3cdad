using Monitor.Contracts.State;
namespace Monitor.Detectors.Pipeline;

/// <summary>
/// Which branch first read each subject's report, for the feature "subjects first seen at other branches".
/// Kept as 64-bit subject keys against a small table of branch ids, in two generations: a subject not read
/// for one to two generations is forgotten, so memory follows the recent traffic, not all history.
/// </summary>
public sealed class SubjectOrigins(TimeSpan generation) : IDurableState
{
    // TRANSITIONAL (issue 14): the real Save/Restore replace these.
    public void Save(StateWriter w) => throw new NotSupportedException("not saved yet");

    public void Restore(StateReader r) => throw new NotSupportedException("not restored yet");

    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _branches = [];
    private Dictionary<ulong, int> _current = [];
    private Dictionary<ulong, int> _previous = [];
    private DateTimeOffset _generationEnd = DateTimeOffset.MinValue;

    /// <summary>Subjects remembered.</summary>
    public int Count => _current.Count + _previous.Count;

    /// <summary>The branch that first read <paramref name="subjectKey"/>; records <paramref name="branchId"/> as its first reader when it is new.</summary>
    public string Observe(ulong subjectKey, string branchId, DateTimeOffset at)
    {
        if (at >= _generationEnd)
        {
            if (_generationEnd != DateTimeOffset.MinValue)
            {
                (_previous, _current) = (_current, _previous);
                _current.Clear();
            }
            _generationEnd = at + generation;
        }
        if (_current.TryGetValue(subjectKey, out var origin)) return _branches[origin];
        if (_previous.Remove(subjectKey, out origin))
        {
            _current[subjectKey] = origin; // still in use: carried into the new generation
            return _branches[origin];
        }
        if (!_index.TryGetValue(branchId, out origin))
        {
            origin = _branches.Count;
            _branches.Add(branchId);
            _index[branchId] = origin;
        }
        _current[subjectKey] = origin;
        return branchId;
    }
}
