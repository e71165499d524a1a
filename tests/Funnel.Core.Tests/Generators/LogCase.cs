using FsCheck;
using FsCheck.Fluent;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>A random event log for property tests, with the shape it was drawn for.</summary>
internal sealed record LogCase(int Stages, int Goal, int Reasons, long Window, (int Entity, int Stage, long Time, int Reason)[] Events, int[] Cuts)
{
    public TransitionLog ToLog() => ToLog(Events);

    public static TransitionLog ToLog(IEnumerable<(int Entity, int Stage, long Time, int Reason)> events)
    {
        var builder = new TransitionLogBuilder();
        foreach (var e in events)
        {
            builder.Add(e.Entity, e.Stage, e.Time, e.Reason);
        }

        return builder.Build();
    }

    public ReferenceResult Reference() => ReferenceAnalyzer.Analyze(ToLog(), Stages, Goal, Reasons, Window);

    public override string ToString() =>
        $"stages {Stages}, goal {Goal}, reasons {Reasons}, window {Window}, cuts [{string.Join(',', Cuts)}], events [{string.Join("; ", Events.Select(e => $"{e.Entity}:{e.Stage}@{e.Time}{(e.Reason >= 0 ? "x" + e.Reason : "")}"))}]";

    /// <summary>
    /// Few entities, few stages and a narrow time range, so that ties, re-entries, back-moves, losses as first
    /// events and window edges are common; sometimes time ordered (the fast path), sometimes not; entity ids
    /// sometimes spread out so that several partition buckets are used.
    /// </summary>
    public static Arbitrary<LogCase> Arbitrary()
    {
        var gen =
            from stages in Gen.Choose(1, 6)
            from goal in Gen.Choose(0, stages - 1)
            from reasons in Gen.Choose(0, 3)
            from window in Gen.Choose(0, 40)
            from entityCount in Gen.Choose(1, 12)
            from idScale in Gen.Elements(1, 1, 1, 1237)
            from timeSpan in Gen.Elements(0, 3, 30, 400)
            from timeOrdered in Gen.Elements(true, false)
            from events in Gen.ListOf(EventGen(stages, reasons, entityCount, idScale, timeSpan))
            from cuts in Gen.ListOf(Gen.Choose(0, entityCount * idScale))
            let ordered = timeOrdered ? events.OrderBy(e => e.Time).ToArray() : events.ToArray()
            select new LogCase(stages, goal, reasons, window, ordered, cuts.Distinct().Order().ToArray());
        return gen.ToArbitrary();
    }

    private static Gen<(int Entity, int Stage, long Time, int Reason)> EventGen(int stages, int reasons, int entityCount, int idScale, int timeSpan) =>
        from entity in Gen.Choose(0, entityCount - 1)
        from stage in Gen.Choose(0, stages - 1)
        from time in Gen.Choose(0, timeSpan)
        from lossPick in Gen.Choose(0, 4)
        from reason in Gen.Choose(0, Math.Max(0, reasons - 1))
        select (entity * idScale, stage, 1_767_225_600L + time, reasons > 0 && lossPick == 0 ? reason : -1);
}
