using FsCheck;
using FsCheck.Fluent;

namespace Funnel.Core.Tests.Rules;

/// <summary>Generated request and signal sequences for <see cref="DeterminismTests"/>.</summary>
internal static class DeterminismGenerators
{
    /// <summary>A step is a request or a signal, encoded as (kind, argument index, hours after the last step, forced?).</summary>
    internal readonly record struct Step(int Kind, int Argument, int Hours, bool Forced, bool WithComment);

    /// <summary>Any list of steps: requests and signals with any argument, gap and forced or comment flag.</summary>
    internal static Gen<List<Step>> Steps =>
        Gen.ListOf(
            from kind in Gen.Choose(0, 6)
            from argument in Gen.Choose(0, 6)
            from hours in Gen.Choose(0, 100)
            from forced in Gen.Elements(false, false, false, true)
            from comment in Gen.Elements(false, true)
            select new Step(kind, argument, hours, forced, comment));
}
