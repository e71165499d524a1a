namespace Funnel.Core;

/// <summary>
/// The moves allowed between stage orders, kept sparse: the definition-wide <see cref="TransitionOptions"/> (decided
/// from the shape of a move in O(1)) plus the explicit edges in compressed rows (targets sorted per source). Memory is
/// linear in stages + explicit edges; a check is O(1) for option-allowed moves and O(log degree) for explicit ones.
/// </summary>
/// <remarks>
/// The dense n×n table this replaces took 1 GB per copy at 32,000 stages and overflowed <see cref="int"/> at 46,341
/// (issue 18, defect 3). Immutable and thread-safe.
/// </remarks>
internal sealed class TransitionGraph
{
    private readonly TransitionOptions _options;
    private readonly int[] _rowStart;
    private readonly int[] _targets;

    private TransitionGraph(int stageCount, TransitionOptions options, int[] rowStart, int[] targets)
    {
        StageCount = stageCount;
        _options = options;
        _rowStart = rowStart;
        _targets = targets;
    }

    public int StageCount { get; }

    /// <summary>Builds the graph; duplicate edges are kept once.</summary>
    public static TransitionGraph Create(int stageCount, TransitionOptions options, IReadOnlyCollection<(int From, int To)> explicitEdges)
    {
        var rowStart = new int[stageCount + 1];
        foreach (var (from, _) in explicitEdges)
        {
            rowStart[from + 1]++;
        }

        for (var i = 0; i < stageCount; i++)
        {
            rowStart[i + 1] += rowStart[i];
        }

        var targets = new int[explicitEdges.Count];
        var fill = rowStart[..^1];
        foreach (var (from, to) in explicitEdges)
        {
            targets[fill[from]++] = to;
        }

        // Sort each row and drop duplicates, compacting in place.
        var write = 0;
        for (var from = 0; from < stageCount; from++)
        {
            var start = rowStart[from];
            var end = rowStart[from + 1];
            var row = targets.AsSpan(start, end - start);
            row.Sort();
            rowStart[from] = write;
            for (var i = 0; i < row.Length; i++)
            {
                if (i == 0 || row[i] != row[i - 1])
                {
                    targets[write++] = row[i];
                }
            }
        }

        rowStart[stageCount] = write;
        return new TransitionGraph(stageCount, options, rowStart, write == targets.Length ? targets : targets[..write]);
    }

    public static TransitionKind Classify(int from, int to) =>
        to == from ? TransitionKind.Reentry
        : to == from + 1 ? TransitionKind.Forward
        : to > from ? TransitionKind.Skip
        : TransitionKind.Back;

    public bool IsAllowed(int from, int to) =>
        (_options & OptionFor(Classify(from, to))) != 0 || Explicit(from).BinarySearch(to) >= 0;

    /// <summary>Marks every stage reachable from <paramref name="start"/>, in time linear in stages + explicit edges.</summary>
    public bool[] ReachableFrom(int start)
    {
        var seen = new bool[StageCount];
        var queue = new Queue<int>();

        // Skips from s cover every stage above s + 1, and back moves from s every stage below s: instead of listing
        // those ranges per stage (quadratic), remember how far they have already been covered and only extend that.
        var coveredFromAbove = StageCount; // every stage >= this was enqueued by a skip
        var coveredBelow = 0;              // every stage < this was enqueued by a back move

        Visit(start);
        while (queue.TryDequeue(out var from))
        {
            if ((_options & TransitionOptions.Forward) != 0 && from + 1 < StageCount)
            {
                Visit(from + 1);
            }

            if ((_options & TransitionOptions.Skips) != 0)
            {
                for (var to = from + 2; to < coveredFromAbove; to++)
                {
                    Visit(to);
                }

                coveredFromAbove = Math.Min(coveredFromAbove, from + 2);
            }

            if ((_options & TransitionOptions.BackMoves) != 0)
            {
                for (var to = coveredBelow; to < from; to++)
                {
                    Visit(to);
                }

                coveredBelow = Math.Max(coveredBelow, from);
            }

            foreach (var to in Explicit(from))
            {
                Visit(to);
            }
        }

        return seen;

        void Visit(int stage)
        {
            if (!seen[stage])
            {
                seen[stage] = true;
                queue.Enqueue(stage);
            }
        }
    }

    /// <summary>Calls <paramref name="add"/> for every allowed move, ordered by source then target; linear in its output.</summary>
    public void ForEachAllowed(Action<int, int> add)
    {
        Span<(int Low, int High)> ranges = stackalloc (int, int)[4];
        for (var from = 0; from < StageCount; from++)
        {
            var count = 0;
            if ((_options & TransitionOptions.BackMoves) != 0 && from > 0)
            {
                ranges[count++] = (0, from);
            }

            if ((_options & TransitionOptions.Reentry) != 0)
            {
                ranges[count++] = (from, from + 1);
            }

            if ((_options & TransitionOptions.Forward) != 0 && from + 1 < StageCount)
            {
                ranges[count++] = (from + 1, from + 2);
            }

            if ((_options & TransitionOptions.Skips) != 0 && from + 2 < StageCount)
            {
                ranges[count++] = (from + 2, StageCount);
            }

            var row = Explicit(from);
            var e = 0;
            foreach (var (low, high) in ranges[..count])
            {
                for (; e < row.Length && row[e] < low; e++)
                {
                    add(from, row[e]);
                }

                for (var to = low; to < high; to++)
                {
                    add(from, to);
                }

                while (e < row.Length && row[e] < high)
                {
                    e++;
                }
            }

            for (; e < row.Length; e++)
            {
                add(from, row[e]);
            }
        }
    }

    public bool SameAs(TransitionGraph other) =>
        StageCount == other.StageCount
        && _options == other._options
        && _rowStart.AsSpan().SequenceEqual(other._rowStart)
        && _targets.AsSpan().SequenceEqual(other._targets);

    private static TransitionOptions OptionFor(TransitionKind kind) => kind switch
    {
        TransitionKind.Forward => TransitionOptions.Forward,
        TransitionKind.Skip => TransitionOptions.Skips,
        TransitionKind.Back => TransitionOptions.BackMoves,
        _ => TransitionOptions.Reentry,
    };

    private ReadOnlySpan<int> Explicit(int from) => _targets.AsSpan(_rowStart[from], _rowStart[from + 1] - _rowStart[from]);
}
