using FsCheck;
using FsCheck.Fluent;

namespace Funnel.Core.Tests.Journeys;

/// <summary>Random definitions and operation sequences for <see cref="JourneyPropertyTests"/>.</summary>
internal static class JourneyPropertyGenerators
{
    internal static readonly FunnelDefinition[] Definitions = [TestFunnels.Linear(), TestFunnels.FreeForm(), FunnelTemplates.B2BPipeline];

    /// <summary>One random operation: what to do, to which stage or with which reason, and how far time moves (may go back).</summary>
    internal sealed record Operation(int Kind, int Stage, int Reason, int MinutesLater);

    private static Gen<Operation> OperationGen =>
        from kind in Gen.Choose(0, 6)
        from stage in Gen.Choose(0, 7)
        from reason in Gen.Choose(0, 11)
        from minutes in Gen.Choose(-60, 600)
        select new Operation(kind, stage, reason, minutes);

    internal static Arbitrary<(int Definition, Operation[] Operations)> Scenarios =>
        (from definition in Gen.Choose(0, Definitions.Length - 1)
         from operations in Gen.ArrayOf(OperationGen)
         select (definition, operations)).ToArbitrary();
}
