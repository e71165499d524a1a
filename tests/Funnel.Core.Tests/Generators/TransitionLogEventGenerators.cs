using FsCheck;
using FsCheck.Fluent;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>Generated event lists for <see cref="TransitionLogToEventsTests"/>.</summary>
internal static class TransitionLogEventGenerators
{
    /// <summary>
    /// Random events as <see cref="TransitionLog.FromEvents"/> keeps them exactly: whole seconds anywhere in years
    /// 1..9999 (with an offset away from the edges, since only the instant counts), repeated entities, losses, odd
    /// keys and segments (none, empty, shared) — or no segments at all for a log without a segment column.
    /// </summary>
    internal static Gen<(FunnelDefinition Definition, FunnelEvent[] Events, bool WithSegments)> RoundTripCase =>
        from definition in Gen.Elements(FunnelTemplates.Aida, FunnelTemplates.B2BPipeline, TestFunnels.Linear())
        from withSegments in Gen.Elements(true, false)
        from events in Gen.ListOf(EventGen(definition, withSegments))
        select (definition, events.ToArray(), withSegments);

    private static Gen<FunnelEvent> EventGen(FunnelDefinition definition, bool withSegments) =>
        from entity in Gen.Elements("lead-1", "lead-2", "Lead-1", " spaced ", "ü,\"quoted\"")
        from stage in Gen.Choose(0, definition.Stages.Length - 1)
        from high in Gen.Choose((int)(TransitionLog.MinTimestamp / 1000), (int)(TransitionLog.MaxTimestamp / 1000))
        from low in Gen.Choose(0, 999)
        from offsetHours in Gen.Choose(-12, 14)
        from reason in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, definition.LossReasons.Length - 1)))
        from segment in Gen.Elements<string?>(null, "seo", "ads", "")
        let seconds = Math.Clamp((high * 1000L) + low, TransitionLog.MinTimestamp, TransitionLog.MaxTimestamp)
        let utc = DateTimeOffset.FromUnixTimeSeconds(seconds)
        let at = seconds > TransitionLog.MinTimestamp + 86_400 && seconds < TransitionLog.MaxTimestamp - 86_400 ? utc.ToOffset(TimeSpan.FromHours(offsetHours)) : utc
        select new FunnelEvent(
            entity,
            definition.Stages[stage].Key,
            at,
            reason < 0 ? default : definition.LossReasons[reason].Key,
            withSegments ? segment : null);
}
