//! The reconciliation of a flow network in near-linear time.
//!
//! The balance matrix of a process network is an incidence matrix: every flow has +1 at the
//! process it enters and −1 at the one it leaves. The dense solver's matrix steps are graph
//! operations here, done exactly and without forming any n × n matrix:
//!
//! - Eliminating the unknown flows (P A_u = 0) merges the processes they join (a union–find);
//!   the reduced constraints are the balances of the merged nodes, the environment being the
//!   node without a balance. A measured flow inside one merged node is checked by no balance.
//! - Dependent balances: a connected part of the merged network that does not reach the
//!   environment has one balance too many, the sum of its nodes' balances, which holds only its
//!   fixed flows and must close. The rank is the number of edges of a spanning forest.
//! - Pivoting on the least precise flows first: the pivots of the dense solver's elimination
//!   are the edges of the spanning forest of largest σ (Kruskal). Each of these flows is
//!   recomputed from the balance of the subtree it drains, leaves first, as the dense solver
//!   recomputes each pivot from its row, so the balances close to rounding however far apart
//!   the σ are.
//! - S = A Q Aᵀ is the Laplacian of the merged network with conductances σ², grounded at the
//!   environment (or at one node of a part that does not reach it). It is factored
//!   S = L D Lᵀ by eliminating nodes in rounds of independent nodes of least degree (a chain
//!   or tree of processes is halved each round, without fill), with Schur complements formed
//!   without subtraction: each new conductance is a sum of positive terms and each pivot a sum
//!   of conductances (as in the GTH algorithm for Markov chains), so the factors keep full
//!   relative accuracy whatever the spread of σ.
//! - x̂ = y − Q Aᵀ λ with S λ = A y + c. The redundancy of flow j from p to q is σ_j² R_j,
//!   R_j = (e_p − e_q)ᵀ S⁻¹ (e_p − e_q) the effective resistance between its ends, from one
//!   sparse forward solve per flow (O(log n) nodes for the ordering above), and
//!   Var(x̂_j) = σ_j² (1 − σ_j² R_j) = σ_j² G_j / (σ_j² + G_j), G_j the conductance between p
//!   and q of the rest of the network. Where rounding in R_j or in 1 − σ_j² R_j could cost
//!   more than [`MAX_AMPLIFICATION`] · ε (a flow far less precise than every other path
//!   between its ends), Var(x̂_j) is computed as for the unknowns below, from the circulation
//!   of e_j, with one more solve.
//! - The measurement tests and the global test are those of the dense solver; two measured
//!   flows have parallel reduced columns exactly when they join the same two merged nodes.
//! - An unknown flow is determined when it is a bridge of the graph of unknown flows; it
//!   carries the net flow out of the side of the bridge away from the environment. Its
//!   variance hᵀ Cov(x̂) h is Σ v_i² / σ_i² with v = Q (h − Aᵀ S⁻¹ A Q h), a circulation
//!   (A v = 0) whose forest flows are recomputed from the others as above: a sum of squares,
//!   without the cancellation of hᵀ Q h − … (one solve per determined unknown).

use super::{Core, Data, FIXED_CLOSURE_TOL, Flow, MIN_REDUNDANCY, ReconcileError};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

/// Largest factor by which cancellation may amplify the rounding of a flow's variance before
/// it is computed from its circulation instead (1e6 · ε ≈ 2e-10 relative).
const MAX_AMPLIFICATION: f64 = 1e6;

/// Disjoint sets with path halving; the smaller index is the root, so results do not depend
/// on the order of the unions.
struct Dsu {
    parent: Vec<usize>,
}

impl Dsu {
    fn new(n: usize) -> Self {
        Dsu {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins the sets of `a` and `b`; false when they were one already.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return false;
        }
        let (root, child) = if a < b { (a, b) } else { (b, a) };
        self.parent[child] = root;
        true
    }
}

/// A resistive network being reduced: conductances between nodes and to ground.
struct Network {
    adj: Vec<BTreeMap<usize, f64>>,
    ground: Vec<f64>,
}

/// S = L D Lᵀ from [`Network::eliminate`]: node `order[k]` was eliminated k-th with pivot
/// `diag[v]`; `col[v]` holds ℓ_wv = g_vw / d_v (so L_wv = −ℓ_wv) for its neighbours w then,
/// sorted by node.
struct Factor {
    order: Vec<usize>,
    pos: Vec<usize>,
    diag: Vec<f64>,
    /// g_v0 / d_v: the share of the pivot that went to ground.
    ground_share: Vec<f64>,
    col: Vec<Vec<(usize, f64)>>,
}

impl Network {
    fn new(n: usize) -> Self {
        Network {
            adj: vec![BTreeMap::new(); n],
            ground: vec![0.0; n],
        }
    }

    /// Adds a conductance `g` between `a` and `b`, or from `a` to ground when `b` is `None`.
    fn connect(&mut self, a: usize, b: Option<usize>, g: f64) {
        match b {
            Some(b) => {
                *self.adj[a].entry(b).or_insert(0.0) += g;
                *self.adj[b].entry(a).or_insert(0.0) += g;
            }
            None => self.ground[a] += g,
        }
    }

    /// Eliminates every node, in rounds: each round takes, in node order, nodes of
    /// at most max(2, least degree) neighbours no two of which are neighbours (multiple
    /// minimum degree). On a chain or a tree of processes this halves every path each round
    /// without fill, so every node is a few steps from the last one eliminated, and the
    /// solves of [`Factor::resistance`] touch O(log n) nodes.
    ///
    /// The Schur complement of a Laplacian is a Laplacian: eliminating v adds g_vw g_vu / d_v
    /// between its neighbours w, u and g_vw g_v0 / d_v to ground, with d_v = g_v0 + Σ g_vw.
    fn eliminate(&mut self) -> Factor {
        let n = self.adj.len();
        let mut factor = Factor {
            order: Vec::with_capacity(n),
            pos: vec![usize::MAX; n],
            diag: vec![0.0; n],
            ground_share: vec![0.0; n],
            col: vec![Vec::new(); n],
        };
        let mut remaining: Vec<usize> = (0..n).collect();
        let mut blocked = vec![false; n];
        while !remaining.is_empty() {
            let least = remaining
                .iter()
                .map(|&v| self.adj[v].len())
                .min()
                .unwrap_or(0);
            let limit = least.max(2);
            let mut chosen = Vec::new();
            let mut touched = Vec::new();
            for &v in &remaining {
                if !blocked[v] && self.adj[v].len() <= limit {
                    chosen.push(v);
                    blocked[v] = true;
                    touched.push(v);
                    for &w in self.adj[v].keys() {
                        blocked[w] = true;
                        touched.push(w);
                    }
                }
            }
            for &v in &touched {
                blocked[v] = false;
            }
            for v in chosen {
                self.eliminate_one(v, &mut factor);
            }
            remaining.retain(|&v| factor.pos[v] == usize::MAX);
        }
        factor
    }

    fn eliminate_one(&mut self, v: usize, factor: &mut Factor) {
        let neighbours: Vec<(usize, f64)> = std::mem::take(&mut self.adj[v]).into_iter().collect();
        let g0 = self.ground[v];
        let d = g0 + neighbours.iter().map(|&(_, g)| g).sum::<f64>();
        for &(w, gw) in &neighbours {
            self.adj[w].remove(&v);
            if g0 > 0.0 {
                self.ground[w] += gw * g0 / d;
            }
        }
        for (k, &(w, gw)) in neighbours.iter().enumerate() {
            for &(u, gu) in &neighbours[k + 1..] {
                let g = gw * gu / d;
                *self.adj[w].entry(u).or_insert(0.0) += g;
                *self.adj[u].entry(w).or_insert(0.0) += g;
            }
        }
        factor.pos[v] = factor.order.len();
        factor.order.push(v);
        factor.diag[v] = d;
        factor.ground_share[v] = g0 / d;
        factor.col[v] = neighbours.iter().map(|&(w, g)| (w, g / d)).collect();
    }
}

impl Factor {
    /// b ← L⁻¹ b; returns bᵀ S⁻¹ b = Σ (L⁻¹b)_v² / d_v.
    fn forward(&self, b: &mut [f64]) -> f64 {
        let mut quadratic = 0.0;
        for &v in &self.order {
            let bv = b[v];
            if bv != 0.0 {
                for &(w, l) in &self.col[v] {
                    b[w] += l * bv;
                }
                quadratic += bv * bv / self.diag[v];
            }
        }
        quadratic
    }

    /// b ← S⁻¹ b.
    fn solve(&self, b: &mut [f64]) {
        self.forward(b);
        for &v in self.order.iter().rev() {
            let mut x = b[v] / self.diag[v];
            for &(w, l) in &self.col[v] {
                x += l * b[w];
            }
            b[v] = x;
        }
    }

    /// Effective resistance R = (e_p − e_q)ᵀ S⁻¹ (e_p − e_q) = Σ_v z_v² / d_v, z = L⁻¹ (e_p − e_q)
    /// (`None` = ground), by a sparse forward solve from p and q; and R_abs, the same sum
    /// with |ℓ| |z| propagated, which bounds the rounding: |δR| ≲ 2 ε √(R R_abs) per step.
    /// At the first of p and q to be eliminated, −1 + ℓ_qp is formed as −(the share of its
    /// other conductances), without subtraction.
    fn resistance(&self, p: Option<usize>, q: Option<usize>, work: &mut Work) -> (f64, f64) {
        let (mut r, mut r_abs) = (0.0, 0.0);
        match (p, q) {
            (Some(a), None) | (None, Some(a)) => work.add(self, a, 1.0, 1.0),
            (Some(p), Some(q)) => {
                let (f, s) = if self.pos[p] < self.pos[q] {
                    (p, q)
                } else {
                    (q, p)
                };
                let d = self.diag[f];
                r += 1.0 / d;
                r_abs += 1.0 / d;
                let col = &self.col[f];
                let mut at_s = false;
                for &(w, l) in col {
                    if w == s {
                        at_s = true;
                        let others = self.ground_share[f]
                            + col
                                .iter()
                                .filter(|&&(u, _)| u != s)
                                .map(|&(_, l)| l)
                                .sum::<f64>();
                        work.add(self, s, -others, others);
                    } else {
                        work.add(self, w, l, l);
                    }
                }
                if !at_s {
                    work.add(self, s, -1.0, 1.0);
                }
            }
            (None, None) => return (0.0, 0.0),
        }
        while let Some(Reverse(k)) = work.heap.pop() {
            let v = self.order[k];
            let (z, za) = (work.b[v], work.b_abs[v]);
            work.b[v] = 0.0;
            work.b_abs[v] = 0.0;
            work.queued[v] = false;
            let d = self.diag[v];
            r += z * z / d;
            r_abs += za * za / d;
            for &(w, l) in &self.col[v] {
                work.add(self, w, l * z, l * za);
            }
        }
        (r, r_abs)
    }
}

/// Scratch space of [`Factor::resistance`].
struct Work {
    b: Vec<f64>,
    b_abs: Vec<f64>,
    queued: Vec<bool>,
    /// Positions in the elimination order still to visit.
    heap: BinaryHeap<Reverse<usize>>,
}

impl Work {
    fn new(n: usize) -> Self {
        Work {
            b: vec![0.0; n],
            b_abs: vec![0.0; n],
            queued: vec![false; n],
            heap: BinaryHeap::new(),
        }
    }

    fn add(&mut self, factor: &Factor, v: usize, x: f64, x_abs: f64) {
        self.b[v] += x;
        self.b_abs[v] += x_abs;
        if !self.queued[v] {
            self.queued[v] = true;
            self.heap.push(Reverse(factor.pos[v]));
        }
    }
}

/// Reconciles by the network method; see the module documentation.
pub(super) fn solve(
    index: &HashMap<String, usize>,
    m: usize,
    flows: &[Flow],
    data: &[Data],
) -> Result<Core, ReconcileError> {
    const NONE: usize = usize::MAX;
    let env = m;
    let node = |p: &Option<String>| p.as_ref().map_or(env, |p| index[p]);
    let ends: Vec<(usize, usize)> = flows.iter().map(|f| (node(&f.from), node(&f.to))).collect();

    // 1. Unknown flows merge the nodes they join.
    let mut merged = Dsu::new(m + 1);
    for (e, d) in ends.iter().zip(data) {
        if matches!(d, Data::Unknown) {
            merged.union(e.0, e.1);
        }
    }
    let quot: Vec<usize> = (0..=m).map(|p| merged.find(p)).collect();
    let (mut meas, mut unk) = (Vec::new(), Vec::new());
    let (mut y, mut sig) = (Vec::new(), Vec::new());
    let (mut c_proc, mut mag_proc) = (vec![0.0; m], vec![0.0; m]);
    for (j, d) in data.iter().enumerate() {
        match *d {
            Data::Measured { value, sigma } => {
                meas.push(j);
                y.push(value);
                sig.push(sigma);
            }
            Data::Fixed { value } => {
                let (from, to) = ends[j];
                if to != env {
                    c_proc[to] += value;
                    mag_proc[to] += value.abs();
                }
                if from != env {
                    c_proc[from] -= value;
                    mag_proc[from] += value.abs();
                }
            }
            Data::Unknown => unk.push(j),
        }
    }
    let nm = meas.len();
    // Merged ends of each measured flow; a flow inside one merged node is checked by nothing.
    let qends: Vec<(usize, usize)> = meas
        .iter()
        .map(|&j| (quot[ends[j].0], quot[ends[j].1]))
        .collect();
    let linked: Vec<bool> = qends.iter().map(|&(a, b)| a != b).collect();
    let sign = |i: usize, x: usize| if qends[i].1 == x { 1.0 } else { -1.0 };

    // 2. Connected parts of the merged network; those without the environment must close.
    let mut parts = Dsu::new(m + 1);
    for i in (0..nm).filter(|&i| linked[i]) {
        parts.union(qends[i].0, qends[i].1);
    }
    let part: Vec<usize> = (0..=m).map(|x| parts.find(quot[x])).collect();
    let env_part = part[env];
    let (mut c_part, mut mag_part) = (vec![0.0; m + 1], vec![0.0; m + 1]);
    for p in 0..m {
        c_part[part[p]] += c_proc[p];
        mag_part[part[p]] += mag_proc[p];
    }
    for p in 0..m {
        let r = part[p];
        if r != env_part && c_part[r].abs() > FIXED_CLOSURE_TOL * mag_part[r] {
            let inside = |x: usize| x != env && part[x] == r;
            let involved = flows
                .iter()
                .zip(data)
                .zip(&ends)
                .filter(|((_, d), e)| matches!(d, Data::Fixed { .. }) && inside(e.0) != inside(e.1))
                .map(|((f, _), _)| f.id.clone())
                .collect();
            return Err(ReconcileError::InconsistentFixedFlows { flows: involved });
        }
    }

    // 3. Spanning forest of the least precise flows (the dense solver's pivots).
    let mut by_sigma: Vec<usize> = (0..nm).filter(|&i| linked[i]).collect();
    by_sigma.sort_by(|&a, &b| sig[b].total_cmp(&sig[a]));
    let mut forest = Dsu::new(m + 1);
    let tree: Vec<bool> = {
        let mut tree = vec![false; nm];
        for &i in &by_sigma {
            tree[i] = forest.union(qends[i].0, qends[i].1);
        }
        tree
    };
    let rank = tree.iter().filter(|&&t| t).count();

    let mut x_hat = y.clone();
    let mut var_hat: Vec<f64> = sig.iter().map(|s| s * s).collect();
    let mut redundancy = vec![0.0; nm];
    let mut z: Vec<Option<f64>> = vec![None; nm];
    let mut chi_square = 0.0;
    // Node numbers of the Laplacian: merged nodes with a link that are not a ground.
    let ground_of = |x: usize| {
        if part[x] == env_part {
            quot[env]
        } else {
            part[x]
        }
    };
    let mut var = vec![NONE; m + 1];
    let (mut grounds, mut is_ground) = (Vec::new(), vec![false; m + 1]);
    let mut nv = 0;
    for i in (0..nm).filter(|&i| linked[i]) {
        for x in [qends[i].0, qends[i].1] {
            if x == ground_of(x) {
                if !is_ground[x] {
                    is_ground[x] = true;
                    grounds.push(x);
                }
            } else if var[x] == NONE {
                var[x] = nv;
                nv += 1;
            }
        }
    }
    let var_of = |x: usize| (var[x] != NONE).then_some(var[x]);
    // Scaled conductances (σ / σ_max)², so that σ² neither overflows nor underflows early.
    let s_max = (0..nm)
        .filter(|&i| linked[i])
        .map(|i| sig[i])
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let g: Vec<f64> = sig.iter().map(|s| (s / s_max) * (s / s_max)).collect();
    // The spanning forest from its grounds, breadth first; `peel` recomputes each of its
    // flows from the balance of the subtree it drains (leaves first): A x + c = 0 exactly.
    let mut incident: Vec<Vec<usize>> = vec![Vec::new(); m + 1];
    for i in (0..nm).filter(|&i| linked[i]) {
        incident[qends[i].0].push(i);
        incident[qends[i].1].push(i);
    }
    let mut c_node = vec![0.0; m + 1];
    for p in 0..m {
        c_node[quot[p]] += c_proc[p];
    }
    let mut parent = vec![NONE; m + 1];
    let mut seen = vec![false; m + 1];
    let mut visit = Vec::new();
    for &root in &grounds {
        seen[root] = true;
        let start = visit.len();
        visit.push(root);
        let mut k = start;
        while k < visit.len() {
            let x = visit[k];
            k += 1;
            for &i in &incident[x] {
                let o = if qends[i].0 == x {
                    qends[i].1
                } else {
                    qends[i].0
                };
                if tree[i] && !seen[o] {
                    seen[o] = true;
                    parent[o] = i;
                    visit.push(o);
                }
            }
        }
    }
    let peel = |x: &mut [f64], c: &[f64]| {
        for &node in visit.iter().rev() {
            let t = parent[node];
            if t == NONE {
                continue;
            }
            let others: f64 = incident[node]
                .iter()
                .filter(|&&i| i != t)
                .map(|&i| sign(i, node) * x[i])
                .sum();
            x[t] = -(c[node] + others) * sign(t, node);
        }
    };
    let zeros = vec![0.0; m + 1];
    // hᵀ Cov(x̂) h / σ_max² for h on the linked flows: hᵀ Q h − bᵀ S⁻¹ b (b = A Q h), or
    // without that cancellation Σ v_i² / σ_i² with v = Q (h − Aᵀ S⁻¹ b), a circulation
    // (A v = 0) whose forest flows are recomputed from the others by `peel`.
    let circulation = |f: &Factor, h: &[(usize, f64)]| -> f64 {
        let mut lambda = vec![0.0; nv];
        for &(i, h) in h {
            if let Some(v) = var_of(qends[i].1) {
                lambda[v] += g[i] * h;
            }
            if let Some(v) = var_of(qends[i].0) {
                lambda[v] -= g[i] * h;
            }
        }
        f.solve(&mut lambda);
        let potential = |x: usize| var_of(x).map_or(0.0, |v| lambda[v]);
        let mut v: Vec<f64> = (0..nm)
            .map(|i| {
                if linked[i] {
                    -g[i] * (potential(qends[i].1) - potential(qends[i].0))
                } else {
                    0.0
                }
            })
            .collect();
        for &(i, h) in h {
            v[i] += g[i] * h;
        }
        peel(&mut v, &zeros);
        (0..nm)
            .filter(|&i| linked[i])
            .map(|i| v[i] * v[i] / g[i])
            .sum::<f64>()
    };
    let mut factor = None;
    if rank > 0 {
        if (0..nm).any(|i| linked[i] && !g[i].is_normal()) {
            return Err(ReconcileError::IllConditioned);
        }
        let mut net = Network::new(nv);
        for i in (0..nm).filter(|&i| linked[i]) {
            match (var_of(qends[i].0), var_of(qends[i].1)) {
                (Some(a), b) | (b, Some(a)) => net.connect(a, b, g[i]),
                (None, None) => unreachable!("a link between two grounds"),
            }
        }
        let f = net.eliminate();
        if f.diag.iter().any(|d| !(d.is_normal() && *d > 0.0)) {
            return Err(ReconcileError::IllConditioned);
        }

        // 4. λ = S⁻¹ (A y + c); the flows off the forest move by σ² (λ_from − λ_to).
        let mut lambda = vec![0.0; nv];
        for p in 0..m {
            if let Some(v) = var_of(quot[p]) {
                lambda[v] += c_proc[p];
            }
        }
        for i in (0..nm).filter(|&i| linked[i]) {
            if let Some(v) = var_of(qends[i].1) {
                lambda[v] += y[i];
            }
            if let Some(v) = var_of(qends[i].0) {
                lambda[v] -= y[i];
            }
        }
        f.solve(&mut lambda);
        let potential = |x: usize| var_of(x).map_or(0.0, |v| lambda[v]);
        for i in (0..nm).filter(|&i| linked[i] && !tree[i]) {
            x_hat[i] = y[i] - g[i] * (potential(qends[i].1) - potential(qends[i].0));
        }
        // The forest's flows from their subtrees' balances, leaves first.
        peel(&mut x_hat, &c_node);

        // 5. Redundancy and variance from the effective resistance between each flow's ends.
        let mut work = Work::new(nv);
        for i in (0..nm).filter(|&i| linked[i]) {
            let (p, q) = (var_of(qends[i].0), var_of(qends[i].1));
            let (resistance, resistance_abs) = f.resistance(p, q, &mut work);
            let red = g[i] * resistance;
            let tail = 1.0 - red;
            // Relative error bound of the variance σ² (1 − red), in units of ε.
            let amplification = (resistance_abs / resistance).sqrt()
                * if tail > 0.0 {
                    (red / tail).max(1.0)
                } else {
                    f64::INFINITY
                };
            let (red, v) = if resistance > 0.0 && amplification <= MAX_AMPLIFICATION {
                (red.min(1.0), g[i] * (1.0 - red.min(1.0)))
            } else {
                // Var(x̂_i) from the circulation of e_i (i is then in effect a forest flow,
                // recomputed from the more precise ones), and 1 − redundancy from it.
                let v = circulation(&f, &[(i, 1.0)]).min(g[i]);
                (1.0 - v / g[i], v)
            };
            redundancy[i] = red;
            var_hat[i] = v * s_max * s_max;
            if red > MIN_REDUNDANCY {
                z[i] = Some((x_hat[i] - y[i]) / (sig[i] * red.sqrt()));
            }
        }
        chi_square = (0..nm).map(|i| ((x_hat[i] - y[i]) / sig[i]).powi(2)).sum();
        factor = Some(f);
    }

    // 6. Unknowns: a bridge of the graph of unknown flows carries the net flow out of its side
    // away from the environment.
    let mut balance = c_proc.clone();
    balance.push(0.0);
    for (i, &j) in meas.iter().enumerate() {
        let (from, to) = ends[j];
        balance[to] += x_hat[i];
        balance[from] -= x_hat[i];
    }
    balance[env] = 0.0;
    let mut unknown_out: Vec<Option<(f64, f64)>> = vec![None; unk.len()];
    let mut adjacency: Vec<Vec<(usize, usize)>> = vec![Vec::new(); m + 1];
    for (k, &j) in unk.iter().enumerate() {
        adjacency[ends[j].0].push((ends[j].1, k));
        adjacency[ends[j].1].push((ends[j].0, k));
    }
    // Iterative depth-first search from the environment, then from each process left.
    let (mut tin, mut tout, mut low) = (vec![NONE; m + 1], vec![0; m + 1], vec![0; m + 1]);
    let mut sum = vec![0.0; m + 1];
    let mut bridges = Vec::new(); // (unknown k, child node)
    let mut clock = 0;
    for root in std::iter::once(env).chain(0..m) {
        if tin[root] != NONE || adjacency[root].is_empty() {
            continue;
        }
        // Stack of (node, edge it was entered by, next neighbour index).
        let mut stack = vec![(root, NONE, 0)];
        tin[root] = clock;
        low[root] = clock;
        clock += 1;
        while let Some(&mut (x, via, ref mut next)) = stack.last_mut() {
            if let Some(&(o, k)) = adjacency[x].get(*next) {
                *next += 1;
                if k == via {
                    continue;
                }
                if tin[o] == NONE {
                    tin[o] = clock;
                    low[o] = clock;
                    clock += 1;
                    stack.push((o, k, 0));
                } else {
                    low[x] = low[x].min(tin[o]);
                }
            } else {
                stack.pop();
                tout[x] = clock;
                sum[x] += balance[x];
                if let Some(&(up, _, _)) = stack.last() {
                    low[up] = low[up].min(low[x]);
                    sum[up] += sum[x];
                    if low[x] > tin[up] {
                        bridges.push((via, x));
                    }
                }
            }
        }
    }
    bridges.sort_unstable();
    for (k, x) in bridges {
        let (_, to) = ends[unk[k]];
        let into = if to == x { 1.0 } else { -1.0 };
        let value = -sum[x] * into;
        // Var(hᵀx̂) for h_i = ±1 on the measured flows leaving the side.
        let inside = |p: usize| p != env && tin[p] >= tin[x] && tin[p] < tout[x];
        let mut h = vec![0.0; nm];
        let mut unlinked = 0.0;
        for (i, &j) in meas.iter().enumerate() {
            let (from, to) = ends[j];
            h[i] = (inside(to) as i32 - inside(from) as i32) as f64;
            if h[i] != 0.0 && !linked[i] {
                unlinked += sig[i] * sig[i];
            }
        }
        let crossing: Vec<(usize, f64)> = (0..nm)
            .filter(|&i| linked[i] && h[i] != 0.0)
            .map(|i| (i, h[i]))
            .collect();
        let linked_part = match &factor {
            Some(f) if !crossing.is_empty() => circulation(f, &crossing) * s_max * s_max,
            _ => 0.0,
        };
        let variance = unlinked + linked_part;
        unknown_out[k] = Some((value, variance.sqrt()));
    }

    // 7. Parallel reduced columns: the same two merged nodes.
    let mut classes: HashMap<(usize, usize), usize> = HashMap::new();
    let class = (0..nm)
        .map(|i| {
            if !linked[i] {
                return NONE - i;
            }
            let (a, b) = qends[i];
            let key = (a.min(b), a.max(b));
            let next = classes.len();
            *classes.entry(key).or_insert(next)
        })
        .collect();
    Ok(Core {
        x_hat,
        var_hat,
        redundancy,
        z,
        chi_square,
        rank,
        unknown_out,
        class,
    })
}
