using Funnel.Core;
using Funnel.Reporting.Internal;

namespace Funnel.Reporting;

/// <content>The geometry: sizes, rows of stages, room for the arcs, where the outcomes go.</content>
public static partial class DefinitionDiagram
{
    private const double Margin = 24;
    private const double BoxWidth = 144;
    private const double BoxHeight = 72;
    private const double ColumnGap = 48;
    private const double Pitch = BoxWidth + ColumnGap;
    private const double Header = 104;
    private const double ArcStep = 16;
    private const double ArcBase = 22;
    private const double LoopHeight = 20;
    private const double LaneHeight = 34;
    private const double NameCharWidth = 7.6;
    private const double ReasonCharWidth = 6.5;
    private const int ReasonsPerColumn = 6;
    private const double WonWidth = 170;
    private const double WonHeight = 48;

    private static double ArcHeight(Stage left, Stage right) => ArcBase + (ArcStep * (Math.Abs(right.Order - left.Order) - 1));

    /// <summary>Splits a name at spaces into at most two lines that fit a box; a longer rest is shortened with an ellipsis.</summary>
    private static List<string> WrapName(string name)
    {
        var max = (int)((BoxWidth - 12) / NameCharWidth);
        var flat = name.Replace('\r', ' ').Replace('\n', ' ');
        if (flat.Length <= max)
        {
            return [flat];
        }

        var cut = flat.LastIndexOf(' ', max);
        if (cut <= 0)
        {
            return [Format.Shorten(flat, max)];
        }

        return [flat[..cut], Format.Shorten(flat[(cut + 1)..], max)];
    }

    /// <summary>Where every part of the diagram goes: rows of stages, each with room for arcs above and below.</summary>
    private sealed class Layout
    {
        private readonly double[] _rowTops;
        private readonly double[] _laneYs;
        private readonly double[] _reasonColumnXs;

        public Layout(FunnelDefinition definition)
        {
            var stages = definition.Stages;
            Rows = (stages.Length + StagesPerRow - 1) / StagesPerRow;
            var columns = Math.Min(StagesPerRow, stages.Length);
            var moves = definition.GetAllowedTransitions();
            CanBeLost = definition.LossReasons.Length > 0 && definition.GoalStage.Order > 0;
            _rowTops = new double[Rows];
            _laneYs = new double[Rows];
            var y = Header;
            for (var row = 0; row < Rows; row++)
            {
                var inRow = moves.Where(m => Row(definition.GetStage(m.From)) == row && Row(definition.GetStage(m.To)) == row).ToList();
                var above = inRow.Where(m => m.Kind == TransitionKind.Skip).Select(m => ArcHeight(definition.GetStage(m.From), definition.GetStage(m.To)))
                    .Append(inRow.Any(m => m.Kind == TransitionKind.Reentry) ? LoopHeight : 0)
                    .Append(row > 0 || definition.GoalStage.Order < stages.Length - 1 ? 16 : 0)
                    .Max();
                var below = inRow.Where(m => m.Kind == TransitionKind.Back).Select(m => ArcHeight(definition.GetStage(m.To), definition.GetStage(m.From))).DefaultIfEmpty(0).Max();
                _rowTops[row] = y + above + 16;
                _laneYs[row] = _rowTops[row] + BoxHeight + (below > 0 ? below + 24 : 12) + 8;
                y = _laneYs[row] + LaneHeight;
            }

            OutcomeTop = y;
            // Each column of reasons is as wide as its longest text; the box fits the columns and the heading.
            var reasonColumns = (definition.LossReasons.Length + ReasonsPerColumn - 1) / ReasonsPerColumn;
            _reasonColumnXs = new double[reasonColumns + 1];
            for (var column = 0; column < reasonColumns; column++)
            {
                var longest = definition.LossReasons.Skip(column * ReasonsPerColumn).Take(ReasonsPerColumn).Max(r => ReasonText(r).Length);
                _reasonColumnXs[column + 1] = _reasonColumnXs[column] + (longest * ReasonCharWidth) + 24;
            }

            LostWidth = CanBeLost ? Math.Max(_reasonColumnXs[^1], 60 + (LostHeading(definition).Length * ReasonCharWidth)) + 12 : 0;
            LostHeight = CanBeLost ? 40 + (Math.Min(ReasonsPerColumn, definition.LossReasons.Length) * 17) : 0;
            var rowWidth = (2 * Margin) + (columns * Pitch) - ColumnGap;
            var goalCentre = X(definition.GoalStage) + (BoxWidth / 2);
            var minWonX = CanBeLost ? Margin + LostWidth + 32 : Margin;
            WonX = Math.Max(minWonX, goalCentre - (WonWidth / 2));
            Width = Math.Max(Math.Max(rowWidth, WonX + WonWidth + Margin), 980);
            Height = OutcomeTop + Math.Max(LostHeight, WonHeight) + 20 + Margin;
        }

        public int Rows { get; }

        public bool CanBeLost { get; }

        public double Width { get; }

        public double Height { get; }

        public double OutcomeTop { get; }

        public double LostWidth { get; }

        public double LostHeight { get; }

        public double WonX { get; }

        public static int Row(Stage stage) => stage.Order / StagesPerRow;

        public static double X(Stage stage) => Margin + ((stage.Order % StagesPerRow) * Pitch);

        public double Top(Stage stage) => _rowTops[Row(stage)];

        public double LaneY(Stage stage) => _laneYs[Row(stage)];

        public double ReasonColumnX(int reason) => _reasonColumnXs[reason / ReasonsPerColumn];
    }
}
