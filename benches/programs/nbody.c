/* N-body simulation of the Jovian planets: an f64 arithmetic and sqrt benchmark.
 *
 * The program is the Computer Language Benchmarks Game's nbody. run(n)
 * resets the five bodies, advances the system n steps of 0.01 days and
 * returns the bit pattern of the final energy as an i64. Every operation is
 * an IEEE-754 f64 add, multiply, divide or sqrt in a fixed order, so the
 * bits are the same on every conforming runtime. */

typedef long long result_t;
#define DEFAULT_ARG 300000
#define SMALL_ARG 30000

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define BODIES 5

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static const struct body initial[BODIES] = {
    /* Sun */
    {0, 0, 0, 0, 0, 0, SOLAR_MASS},
    /* Jupiter */
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
     -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
    /* Saturn */
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
     2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
    /* Uranus */
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
     -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
    /* Neptune */
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
     -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
};

static struct body bodies[BODIES];

static void offset_momentum(void) {
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < BODIES; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

static void advance(double dt) {
    for (int i = 0; i < BODIES; i++) {
        struct body *bi = &bodies[i];
        for (int j = i + 1; j < BODIES; j++) {
            struct body *bj = &bodies[j];
            double dx = bi->x - bj->x;
            double dy = bi->y - bj->y;
            double dz = bi->z - bj->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * __builtin_sqrt(d2));
            bi->vx -= dx * bj->mass * mag;
            bi->vy -= dy * bj->mass * mag;
            bi->vz -= dz * bj->mass * mag;
            bj->vx += dx * bi->mass * mag;
            bj->vy += dy * bi->mass * mag;
            bj->vz += dz * bi->mass * mag;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

static double energy(void) {
    double e = 0;
    for (int i = 0; i < BODIES; i++) {
        struct body *bi = &bodies[i];
        e += 0.5 * bi->mass * (bi->vx * bi->vx + bi->vy * bi->vy + bi->vz * bi->vz);
        for (int j = i + 1; j < BODIES; j++) {
            struct body *bj = &bodies[j];
            double dx = bi->x - bj->x;
            double dy = bi->y - bj->y;
            double dz = bi->z - bj->z;
            e -= bi->mass * bj->mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

result_t run(int n) {
    for (int i = 0; i < BODIES; i++) {
        bodies[i].x = initial[i].x;
        bodies[i].y = initial[i].y;
        bodies[i].z = initial[i].z;
        bodies[i].vx = initial[i].vx;
        bodies[i].vy = initial[i].vy;
        bodies[i].vz = initial[i].vz;
        bodies[i].mass = initial[i].mass;
    }
    offset_momentum();
    for (int step = 0; step < n; step++)
        advance(0.01);
    union { double d; unsigned long long u; } bits = { energy() };
    return (result_t)bits.u;
}
