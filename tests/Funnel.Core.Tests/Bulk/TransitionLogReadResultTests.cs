using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

public sealed class TransitionLogReadResultTests
{
    [Fact]
    public void Create_CountsAddUp_KeepsEverything()
    {
        var entities = new EntityInterner<string>(StringComparer.Ordinal);
        var segments = new EntityInterner<string>(StringComparer.Ordinal);
        var result = new TransitionLogReadResult(TransitionLog.Empty, entities, segments, [new TransitionLogRowError(0, "stage", RowErrorKind.UnknownStage, "unknown stage 'x'", "x")], 1);

        Assert.Equal((1L, 0L, 1L, false), (result.RowsRead, result.RowsKept, result.RowsRejected, result.IsClean));
        Assert.Equal("row 0, column stage: unknown stage 'x'", result.Errors[0].ToString());
        Assert.Equal((RowErrorKind.UnknownStage, "x"), (result.Errors[0].Kind, result.Errors[0].Value));
        Assert.Equal("stage: 1 row", Assert.Single(result.ErrorCountsByColumn).ToString());
        Assert.Equal("stage 'x': 1 row", Assert.Single(result.UnknownKeys).ToString());
    }

    [Fact]
    public void Create_RowsReadNotKeptPlusRejected_Throws()
    {
        var keys = new EntityInterner<string>(StringComparer.Ordinal);

        Assert.Throws<ArgumentException>("rowsRead", () => new TransitionLogReadResult(TransitionLog.Empty, keys, keys, [], 2));
        Assert.Throws<ArgumentOutOfRangeException>("rowIndex", () => new TransitionLogRowError(-1, "stage", RowErrorKind.MissingValue, "x", null));
        Assert.Throws<ArgumentException>("column", () => new TransitionLogRowError(0, " ", RowErrorKind.MissingValue, "x", null));
        Assert.Throws<ArgumentOutOfRangeException>("kind", () => new TransitionLogRowError(0, "stage", (RowErrorKind)99, "x", null));
    }
}
