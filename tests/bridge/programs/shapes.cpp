// Test program for the DWARF reader in C++: namespaces (nested and
// anonymous), a class with member functions defined in and out of the
// class, a template and an inline member that gets inlined at -O2.
// Built with `clang-22 -x c++ -fno-exceptions` and only the C library.
#include <stdio.h>

namespace geo {

struct Point {
    int x, y;
    int manhattan() const { return (x < 0 ? -x : x) + (y < 0 ? -y : y); }
};

class Rect {
  public:
    Rect(Point a, Point b) : lo_(a), hi_(b) {}
    int area() const;
    bool contains(const Point &p) const
    {
        return p.x >= lo_.x && p.x < hi_.x && p.y >= lo_.y && p.y < hi_.y;
    }

  private:
    Point lo_, hi_;
};

int Rect::area() const
{
    int w = hi_.x - lo_.x;
    int h = hi_.y - lo_.y;
    return w * h;
}

namespace detail {
template <typename T> __attribute__((noinline)) T sum_of(const T *v, int n)
{
    T s = T();
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}
} // namespace detail

} // namespace geo

namespace {
__attribute__((noinline)) int count_inside(const geo::Rect &r, const geo::Point *ps, int n)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        if (r.contains(ps[i]))
            c++;
    return c;
}
} // namespace

int main(int argc, char **)
{
    geo::Point ps[8];
    for (int i = 0; i < 8; i++)
        ps[i] = geo::Point{i * argc - 3, 7 - i};
    geo::Rect r(geo::Point{0, 0}, geo::Point{5, 5});
    int ms[8];
    for (int i = 0; i < 8; i++)
        ms[i] = ps[i].manhattan();
    printf("%d %d %d\n", r.area(), count_inside(r, ps, 8), geo::detail::sum_of(ms, 8));
    return 0;
}
