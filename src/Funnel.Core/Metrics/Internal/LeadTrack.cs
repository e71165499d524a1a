using System.Collections.Immutable;

namespace Funnel.Core.Metrics;

/// <summary>
/// One lead as the metrics see it: its events (stage ordinal, whole-second time, loss-reason ordinal or -1) in
/// canonical order, its status changes, its segment and attributes. Built from a journey or from an event log,
/// then cut at the as-of time.
/// </summary>
internal sealed class LeadTrack
{
    private static readonly ImmutableDictionary<string, string> NoAttributes = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    public LeadTrack(
        string id,
        int[] stages,
        long[] seconds,
        int[] reasons,
        DateTimeOffset[] at,
        StatusChange[] statusChanges,
        string? segment,
        ImmutableDictionary<string, string>? attributes,
        OutcomeRule outcome)
    {
        Id = id;
        Stages = stages;
        Seconds = seconds;
        Reasons = reasons;
        At = at;
        StatusChanges = statusChanges;
        Segment = segment;
        Attributes = attributes ?? NoAttributes;
        Outcome = outcome;
        (Status, WonAt) = LeadTracks.Resolve(statusChanges, outcome);
    }

    public string Id { get; }

    public int[] Stages { get; }

    public long[] Seconds { get; }

    /// <summary>Gets the loss-reason ordinal per event; -1 for an entry event.</summary>
    public int[] Reasons { get; }

    public DateTimeOffset[] At { get; }

    public StatusChange[] StatusChanges { get; }

    public string? Segment { get; }

    public ImmutableDictionary<string, string> Attributes { get; }

    /// <summary>Gets the definition's rule for what "won" means, which <see cref="Status"/> and <see cref="WonAt"/> follow.</summary>
    public OutcomeRule Outcome { get; }

    public int Count => Stages.Length;

    public DateTimeOffset EnteredAt => At[0];

    /// <summary>Gets the status at the as-of time under <see cref="Outcome"/> (see <see cref="LeadTracks.Resolve"/>).</summary>
    public JourneyStatus Status { get; }

    /// <summary>Gets the status after the last status change, whatever the rule (<see cref="OutcomeRule.LastStatus"/>).</summary>
    public JourneyStatus LastStatus => StatusChanges.Length == 0 ? JourneyStatus.Open : StatusChanges[^1].Status;

    /// <summary>Gets a value indicating whether the lead was won at some time (reached the goal or was marked won).</summary>
    public bool EverWon => Array.Exists(StatusChanges, c => c.Status == JourneyStatus.Won);

    /// <summary>Gets the stage the lead is at (or was closed at): the stage of its last event.</summary>
    public int CurrentStage => Stages[^1];

    /// <summary>Gets the loss-reason ordinal of a lost lead; -1 otherwise.</summary>
    public int FinalLossReason => Status == JourneyStatus.Lost ? StatusChanges[^1].Reason : -1;

    /// <summary>Gets when the lead's won status began (under <see cref="OutcomeRule.Reached"/>, its first win), or null unless won.</summary>
    public DateTimeOffset? WonAt { get; }

    /// <summary>
    /// Gets the time of the latest event or status change. Events within one second may be out of sub-second order
    /// (they are ordered by whole seconds, ties in log order), so this is a maximum, not the last element.
    /// </summary>
    public DateTimeOffset LastActivity
    {
        get
        {
            var last = At[^1];
            for (var i = At.Length - 2; i >= 0 && Seconds[i] == Seconds[^1]; i--)
            {
                if (At[i] > last)
                {
                    last = At[i];
                }
            }

            return StatusChanges.Length > 0 && StatusChanges[^1].At > last ? StatusChanges[^1].At : last;
        }
    }

    public bool IsLoss(int index) => Reasons[index] >= 0;

    /// <summary>Returns the track without events and status changes after <paramref name="asOf"/>, or null when nothing is left.</summary>
    public LeadTrack? CutAt(DateTimeOffset asOf)
    {
        var events = 0;
        while (events < At.Length && At[events] <= asOf)
        {
            events++;
        }

        if (events == 0)
        {
            return null;
        }

        var changes = 0;
        while (changes < StatusChanges.Length && StatusChanges[changes].At <= asOf)
        {
            changes++;
        }

        if (events == At.Length && changes == StatusChanges.Length)
        {
            return this;
        }

        return new LeadTrack(Id, Stages[..events], Seconds[..events], Reasons[..events], At[..events], StatusChanges[..changes], Segment, Attributes, Outcome);
    }

    internal readonly record struct StatusChange(DateTimeOffset At, JourneyStatus Status, int Reason);
}
