using System.Collections.Immutable;
using System.Text.Json;

namespace Funnel.Serialization.Json.Internal;

/// <summary>
/// The <see cref="JsonException"/> the converters throw: the serializer adds its line and byte position, and
/// <see cref="FunnelJson"/> turns it into a <see cref="FunnelJsonException"/> with a line per problem.
/// </summary>
#pragma warning disable CA1032, CA1064 // Internal: created only by JsonReadContext with its problems.
internal sealed class FunnelJsonReadException : JsonException
#pragma warning restore CA1032, CA1064
{
    public FunnelJsonReadException(ImmutableArray<JsonReadProblem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.Path + ": " + p.Message)))
    {
        Problems = problems;
    }

    public ImmutableArray<JsonReadProblem> Problems { get; }
}
