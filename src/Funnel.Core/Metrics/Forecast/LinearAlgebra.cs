namespace Funnel.Core.Metrics;

/// <summary>Small dense linear algebra for the Markov forecast: inversion by Gauss–Jordan elimination with partial pivoting.</summary>
internal static class LinearAlgebra
{
    /// <summary>Inverts a square matrix. Returns null when it is singular (a pivot below the tolerance).</summary>
    public static double[,]? Invert(double[,] matrix, double tolerance = 1e-12)
    {
        var n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var inverse = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            inverse[i, i] = 1;
        }

        for (var column = 0; column < n; column++)
        {
            // Partial pivoting: the row with the largest magnitude in this column.
            var pivot = column;
            for (var row = column + 1; row < n; row++)
            {
                if (Math.Abs(a[row, column]) > Math.Abs(a[pivot, column]))
                {
                    pivot = row;
                }
            }

            if (Math.Abs(a[pivot, column]) < tolerance)
            {
                return null;
            }

            if (pivot != column)
            {
                SwapRows(a, pivot, column);
                SwapRows(inverse, pivot, column);
            }

            var scale = 1 / a[column, column];
            for (var k = 0; k < n; k++)
            {
                a[column, k] *= scale;
                inverse[column, k] *= scale;
            }

            for (var row = 0; row < n; row++)
            {
                if (row == column || a[row, column] == 0)
                {
                    continue;
                }

                var factor = a[row, column];
                for (var k = 0; k < n; k++)
                {
                    a[row, k] -= factor * a[column, k];
                    inverse[row, k] -= factor * inverse[column, k];
                }
            }
        }

        return inverse;
    }

    public static double[,] Multiply(double[,] left, double[,] right)
    {
        var rows = left.GetLength(0);
        var inner = left.GetLength(1);
        var columns = right.GetLength(1);
        var product = new double[rows, columns];
        for (var i = 0; i < rows; i++)
        {
            for (var k = 0; k < inner; k++)
            {
                var l = left[i, k];
                if (l == 0)
                {
                    continue;
                }

                for (var j = 0; j < columns; j++)
                {
                    product[i, j] += l * right[k, j];
                }
            }
        }

        return product;
    }

    public static double[] Multiply(double[,] matrix, double[] vector)
    {
        var rows = matrix.GetLength(0);
        var result = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            for (var k = 0; k < vector.Length; k++)
            {
                result[i] += matrix[i, k] * vector[k];
            }
        }

        return result;
    }

    private static void SwapRows(double[,] m, int a, int b)
    {
        for (var k = 0; k < m.GetLength(1); k++)
        {
            (m[a, k], m[b, k]) = (m[b, k], m[a, k]);
        }
    }
}
