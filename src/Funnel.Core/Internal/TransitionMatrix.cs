namespace Funnel.Core;

/// <summary>A dense n×n table of allowed moves between stage orders, for O(1) checks on the hot path.</summary>
internal sealed class TransitionMatrix
{
    private readonly bool[] _allowed;

    private TransitionMatrix(int stageCount, bool[] allowed)
    {
        StageCount = stageCount;
        _allowed = allowed;
    }

    public int StageCount { get; }

    public static TransitionMatrix Create(int stageCount, TransitionOptions options, IEnumerable<(int From, int To)> explicitEdges)
    {
        var allowed = new bool[stageCount * stageCount];
        for (var from = 0; from < stageCount; from++)
        {
            for (var to = 0; to < stageCount; to++)
            {
                var flag = Classify(from, to) switch
                {
                    TransitionKind.Forward => TransitionOptions.Forward,
                    TransitionKind.Skip => TransitionOptions.Skips,
                    TransitionKind.Back => TransitionOptions.BackMoves,
                    _ => TransitionOptions.Reentry,
                };
                allowed[(from * stageCount) + to] = (options & flag) != 0;
            }
        }

        foreach (var (from, to) in explicitEdges)
        {
            allowed[(from * stageCount) + to] = true;
        }

        return new TransitionMatrix(stageCount, allowed);
    }

    public static TransitionKind Classify(int from, int to) =>
        to == from ? TransitionKind.Reentry
        : to == from + 1 ? TransitionKind.Forward
        : to > from ? TransitionKind.Skip
        : TransitionKind.Back;

    public bool IsAllowed(int from, int to) => _allowed[(from * StageCount) + to];

    public bool[] ReachableFrom(int start)
    {
        var seen = new bool[StageCount];
        var queue = new Queue<int>();
        seen[start] = true;
        queue.Enqueue(start);
        while (queue.TryDequeue(out var from))
        {
            for (var to = 0; to < StageCount; to++)
            {
                if (!seen[to] && IsAllowed(from, to))
                {
                    seen[to] = true;
                    queue.Enqueue(to);
                }
            }
        }

        return seen;
    }

    public bool SameAs(TransitionMatrix other) => StageCount == other.StageCount && _allowed.AsSpan().SequenceEqual(other._allowed);
}
