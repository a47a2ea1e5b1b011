fn main() {
    scalelab::start();
}
