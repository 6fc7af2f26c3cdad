namespace Monitor.Detectors.Pipeline;

/// <summary>
/// A batch after the screening: the indices of its accepted events with their source's event time right after
/// each, the refused ones with why, and how many were redeliveries. Kept between screening and planning because
/// a batch held for training is screened on arrival and planned later.
/// </summary>
public sealed record ScreenedBatch(List<int> Accepted, List<DateTimeOffset> SourceTimes, List<(int Index, string Reason)> Rejected, int Duplicates);
