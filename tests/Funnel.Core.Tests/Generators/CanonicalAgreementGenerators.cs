using FsCheck;
using FsCheck.Fluent;

namespace Funnel.Core.Tests.Metrics;

/// <summary>Generated transition logs and windows for <see cref="CanonicalAgreementTests"/>.</summary>
internal static class CanonicalAgreementGenerators
{
    private static Gen<(string Entity, int Stage, long T, int Reason)> EventGen =>
        from entity in Gen.Choose(0, 6)
        from stage in Gen.Frequency((5, Gen.Choose(0, 1)), (3, Gen.Choose(0, 3)))
        from t in Gen.Choose(0, 40)
        from reason in Gen.Frequency((6, Gen.Constant(-1)), (1, Gen.Choose(0, 1)))
        select ($"e{entity}", stage, (long)t, reason);

    internal static Gen<(List<(string Entity, int Stage, long T, int Reason)> Log, int? Window)> CaseGen =>
        from log in Gen.ListOf(EventGen)
        from window in Gen.Frequency((1, Gen.Constant<int?>(null)), (3, Gen.Choose(0, 30).Select(w => (int?)w)))
        select (log, window);
}
